package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes to a stream connection: asyncio's {@code StreamWriter}. Writes never suspend; they hand
 * the bytes to the transport, which buffers what the socket does not take. {@link #drain()} is the
 * flow control: it suspends the task while the transport's buffer is over its high-water mark.
 * The usual pattern is {@code writer.write(data); writer.drain();}.
 *
 * <p>{@link #close()} does not suspend, so a try-with-resources block closes the connection
 * without waiting; call {@link #waitClosed()} to wait until it is closed.
 */
public class StreamWriter implements AutoCloseable {
    /** Replaced by {@link #startTls} with the TLS transport. */
    private WriteTransport transport;
    private final FlowControlProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    /**
     * A writer over {@code transport}.
     *
     * @param protocol the transport's protocol, which provides the flow control
     * @param reader the connection's reader, whose error {@link #drain()} raises; may be null
     * @param loop the loop
     */
    public StreamWriter(WriteTransport transport, FlowControlProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.reader = reader;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** The transport written to. For a socket connection it is a {@link Transport}. */
    public WriteTransport transport() {
        return transport;
    }

    /** The loop the writer's connection runs on. */
    public EventLoop getLoop() {
        return loop;
    }

    /** Sends {@code data}; see {@link WriteTransport#write(byte[])}. Does not suspend. */
    public void write(byte[] data) {
        transport.write(data);
    }

    /** Sends {@code length} bytes of {@code data} from {@code offset}. Does not suspend. */
    public void write(byte[] data, int offset, int length) {
        transport.write(data, offset, length);
    }

    /** Sends the remaining bytes of {@code data}, consuming them. Does not suspend. */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /** Sends each array in order. Does not suspend. */
    public void writelines(byte[]... data) {
        transport.writelines(data);
    }

    /** Sends each array in order. Does not suspend. */
    public void writelines(Iterable<byte[]> data) {
        transport.writelines(data);
    }

    /** Sends the remaining bytes of each buffer in order. Does not suspend. */
    public void writelines(ByteBuffer... data) {
        transport.writelines(data);
    }

    /** Closes the sending half once the buffered data is sent; see {@link WriteTransport#writeEof()}. */
    public void writeEof() {
        transport.writeEof();
    }

    /** Whether {@link #writeEof()} is supported. */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection after the buffered data is sent. Does not suspend; see {@link #waitClosed()}. */
    @Override
    public void close() {
        transport.close();
    }

    /** Whether the connection is closing or closed. */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends the task until the connection is closed (its protocol's {@code connectionLost}).
     *
     * @throws IOException the error the connection ended with, if any
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting
     */
    public void waitClosed() throws IOException {
        protocol.getCloseWaiter(this).await();
    }

    /** Information about the connection; see {@link BaseTransport#getExtraInfo(String)}. */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /** As {@link #getExtraInfo(String)}, with a default. */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Waits until it is appropriate to write more: asyncio's {@code drain()}. Returns at once unless
     * the transport's buffer is over its high-water mark; then suspends the task until it drains
     * to the low-water mark. If the connection is closing it first yields one loop iteration, so
     * that a lost connection is noticed.
     *
     * @throws IOException the connection's error if it failed (as the reader saw it), or a
     *     {@link java.net.SocketException} "Connection lost" if it is closed
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting; the buffered data
     *     is still sent
     */
    public void drain() throws IOException {
        if (reader != null) {
            reader.throwIfFailed();
        }
        if (transport.isClosing()) {
            // Yield so that connectionLost() may run: a write-then-drain loop must see the loss.
            Asyncio.sleep(0);
        }
        protocol.drainHelper();
    }

    // ---- TLS: upgrading the connection (asyncio's StreamWriter.start_tls)

    /**
     * Upgrades the connection to TLS (STARTTLS): asyncio's {@code StreamWriter.start_tls}. Waits
     * for buffered data to drain, then runs the handshake as the server if this writer belongs to
     * a connection accepted by {@link io.jasyncio.Asyncio#startServer}, else as the client. From
     * then on this writer and the connection's reader carry plaintext over TLS and
     * {@link #transport()} is the TLS transport. Suspends the task throughout.
     *
     * @param ssl the TLS options; a server needs a context, a client checking host names needs
     *     {@code serverHostname}
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails; the connection is closed
     * @throws java.net.SocketTimeoutException if the handshake takes longer than its timeout
     * @throws IllegalStateException if the writer's transport or protocol cannot be upgraded (not a
     *     stream connection)
     * @throws IllegalArgumentException for options that do not fit this side
     * @throws io.jasyncio.CancelledError if the task is cancelled; the connection is closed
     */
    public void startTls(TlsOptions ssl) throws IOException {
        if (!(protocol instanceof StreamReaderProtocol streams) || !(transport instanceof Transport current)) {
            throw new IllegalStateException("startTls() needs a stream connection: " + this);
        }
        drain();
        Transport upgraded = loop.startTls(current, streams, ssl, streams.isServerSide());
        transport = upgraded;
        streams.replaceTransport(upgraded);
    }

    @Override
    public String toString() {
        return "StreamWriter[transport=" + transport + (reader != null ? ", reader=" + reader : "") + "]";
    }
}
