package io.jasyncio.internal.net;

import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.ReadBufferLimits;
import io.jasyncio.net.TlsTransport;
import io.jasyncio.net.WriteBufferLimits;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The transport an application protocol sees on a TLS connection: asyncio's
 * {@code _SSLProtocolTransport}. Everything it does goes through its {@link SslProtocol}: writes are
 * encrypted and handed to the socket's transport, reads deliver decrypted data, {@link #close()}
 * exchanges close_notify with the peer before the socket closes.
 *
 * <p>Differences from a socket transport, as in asyncio: {@link #writeEof()} is not supported (TLS
 * 1.2 has no half-close), the default write-buffer limits are 512 KiB and 128 KiB, the buffer
 * size counts the encrypted bytes waiting in the socket's transport too, and there are read-buffer
 * limits for the data held while the protocol pauses reading.
 */
final class SslTransport implements TlsTransport {
    private final SslProtocol ssl;
    private boolean closed;

    SslTransport(SslProtocol ssl) {
        this.ssl = ssl;
    }

    /** The TLS layer behind this transport. */
    SslProtocol protocol() {
        return ssl;
    }

    void markClosed() {
        closed = true;
    }

    /**
     * The TLS keys ({@code sslcontext}, {@code ssl_object}, {@code ssl_session}, {@code peercert},
     * {@code peercert_chain}, {@code cipher}, {@code tls_version}, {@code compression},
     * {@code alpn_protocol}) once the handshake is done, and the socket's keys
     * ({@code peername}, {@code sockname}, {@code socket}) while the connection is open.
     */
    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return ssl.getExtraInfo(name, defaultValue);
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    /** Sends what is buffered, then close_notify, and closes once the peer answers; see {@link SslProtocol}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ssl.startShutdown();
        }
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        ssl.setAppProtocol(protocol);
    }

    @Override
    public BaseProtocol getProtocol() {
        return ssl.appProtocol();
    }

    /** Whether decrypted data is delivered: open and not paused. */
    @Override
    public boolean isReading() {
        return !closed && ssl.isAppReading();
    }

    @Override
    public void pauseReading() {
        ssl.pauseAppReading();
    }

    @Override
    public void resumeReading() {
        ssl.resumeAppReading();
    }

    /** As a socket transport's, with TLS defaults: 512 KiB high, a quarter of it low. */
    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        ssl.setWriteBufferLimits(high, low);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return ssl.getWriteBufferLimits();
    }

    /** Plaintext not yet encrypted plus encrypted bytes the socket has not taken. */
    @Override
    public long getWriteBufferSize() {
        return ssl.getWriteBufferSize();
    }

    /** As {@link TlsTransport#setReadBufferLimits}: 256 KiB high, a quarter of it low. */
    @Override
    public void setReadBufferLimits(Integer high, Integer low) {
        ssl.setReadBufferLimits(high, low);
    }

    @Override
    public ReadBufferLimits getReadBufferLimits() {
        return ssl.getReadBufferLimits();
    }

    /** Ciphertext not yet decrypted plus plaintext the protocol has not taken. */
    @Override
    public long getReadBufferSize() {
        return ssl.getReadBufferSize();
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length > 0) {
            ssl.writeAppData(ByteBuffer.wrap(data, offset, length));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        if (data.hasRemaining()) {
            ssl.writeAppData(data);
        }
    }

    @Override
    public void writelines(byte[]... data) {
        ByteBuffer[] buffers = new ByteBuffer[data.length];
        for (int i = 0; i < data.length; i++) {
            buffers[i] = ByteBuffer.wrap(data[i]);
        }
        writelines(buffers);
    }

    @Override
    public void writelines(ByteBuffer... data) {
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                ssl.writeAppData(data);
                return;
            }
        }
    }

    /**
     * Not supported over TLS, as in asyncio.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("writeEof() is not supported by TLS transports");
    }

    /** False: TLS transports cannot half-close. */
    @Override
    public boolean canWriteEof() {
        return false;
    }

    /** Closes the socket at once, without close_notify; the protocol's {@code connectionLost(null)} follows. */
    @Override
    public void abort() {
        closed = true;
        ssl.abort(null);
    }

    /** Closes at once, with {@code exc} for {@code connectionLost}; asyncio's {@code _force_close}. */
    void forceClose(Throwable exc) {
        closed = true;
        ssl.abort(exc);
    }

    @Override
    public String toString() {
        return "SslTransport[" + (closed ? "closed" : isReading() ? "reading" : "paused") + ", " + ssl + "]";
    }
}
