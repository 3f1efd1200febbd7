package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.BufferedProtocol;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The transport of a connected TCP or Unix-domain stream socket: asyncio's
 * {@code _SelectorSocketTransport}.
 *
 * <p>Reading: one read per readiness event, of at most 256 KiB, into the loop's shared direct buffer
 * (for a {@link Protocol}) or into the protocol's own buffer (for a {@link BufferedProtocol}); no
 * allocation per read. Writing: when nothing is buffered a write goes straight to the socket, and
 * only what the socket does not take is copied into the {@link WriteQueue}, which is flushed with
 * gathering writes when the socket becomes writable.
 */
public final class SocketTransport extends SelectorTransport implements Transport {
    /** Above this many bytes in all, writelines buffers first instead of one gathering write. */
    private static final int MAX_DIRECT_GATHER = 256 * 1024;

    private final SocketChannel socket;
    private Protocol dataProtocol;
    private BufferedProtocol bufferedProtocol;
    private WriteQueue queue;
    /** writeEof() was called. */
    private boolean eof;
    /** The peer's end of file was read; the socket is never read again. */
    private boolean eofReceived;
    private final Runnable writeReady = this::onWritable;

    /**
     * Makes the transport of the connected {@code socket} and schedules, in this order,
     * {@code connectionMade}, the start of reading, and the completion of {@code waiter}.
     *
     * @param waiter completed (unless cancelled) once {@code connectionMade} has run; may be null
     * @param peername the peer's address if known, else null
     * @param server the server that accepted the connection, or null
     * @throws IllegalArgumentException if {@code protocol} is neither a Protocol nor a BufferedProtocol
     */
    public SocketTransport(EventLoop loop, SocketChannel socket, BaseProtocol protocol, Future<Void> waiter,
            SocketAddress peername, SocketServer server) {
        super(loop, socket, checkedProtocol(protocol), peername, server);
        this.socket = socket;
        setProtocol(protocol);
        if (getExtraInfo("sockname") instanceof InetSocketAddress) {
            setNoDelay(socket);
        }
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(this::startReading);
        if (waiter != null) {
            loop.callSoon(() -> {
                if (!waiter.cancelled()) {
                    waiter.setResult(null);
                }
            });
        }
    }

    private static BaseProtocol checkedProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!(protocol instanceof Protocol) && !(protocol instanceof BufferedProtocol)) {
            throw new IllegalArgumentException("protocol must be a Protocol or a BufferedProtocol: " + protocol);
        }
        return protocol;
    }

    /** Turns Nagle's algorithm off, so small writes leave at once (asyncio's {@code _set_nodelay}). */
    private static void setNoDelay(SocketChannel socket) {
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | UnsupportedOperationException e) {
            // A socket that cannot take the option (closed already, or not TCP) works without it.
        }
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        checkedProtocol(protocol);
        if (protocol instanceof BufferedProtocol b) {
            bufferedProtocol = b;
            dataProtocol = null;
        } else {
            dataProtocol = (Protocol) protocol;
            bufferedProtocol = null;
        }
        super.setProtocol(protocol);
    }

    @Override
    protected void startReading() {
        if (!eofReceived) {
            super.startReading();
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected void onReadable() {
        if (connLost != 0) {
            return;
        }
        if (bufferedProtocol != null) {
            readIntoProtocolBuffer(bufferedProtocol);
        } else {
            readIntoSharedBuffer(dataProtocol);
        }
    }

    private void readIntoSharedBuffer(Protocol p) {
        ByteBuffer buf = net.readBuffer();
        int n;
        try {
            n = socket.read(buf);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            buf.flip();
            try {
                p.dataReceived(buf);
            } catch (RuntimeException | Error e) {
                fatalError(e, "Fatal error: protocol.data_received() call failed.");
            }
        } else if (n < 0) {
            onEof();
        }
    }

    private void readIntoProtocolBuffer(BufferedProtocol p) {
        ByteBuffer buf;
        try {
            buf = p.getBuffer(-1);
            if (buf == null || !buf.hasRemaining()) {
                throw new IllegalStateException("get_buffer() returned an empty buffer");
            }
        } catch (RuntimeException | Error e) {
            fatalError(e, "Fatal error: protocol.get_buffer() call failed.");
            return;
        }
        int n;
        try {
            n = socket.read(buf);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            try {
                p.bufferUpdated(n);
            } catch (RuntimeException | Error e) {
                fatalError(e, "Fatal error: protocol.buffer_updated() call failed.");
            }
        } else if (n < 0) {
            onEof();
        }
    }

    private void onEof() {
        eofReceived = true;
        boolean keepOpen;
        try {
            keepOpen = bufferedProtocol != null ? bufferedProtocol.eofReceived() : dataProtocol.eofReceived();
        } catch (RuntimeException | Error e) {
            fatalError(e, "Fatal error: protocol.eof_received() call failed.");
            return;
        }
        if (keepOpen) {
            // The connection stays open for writing, but nothing more can be read.
            loop.removeReader(channel);
        } else {
            close();
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        write(ByteBuffer.wrap(data, offset, length));
    }

    @Override
    public void write(ByteBuffer data) {
        checkWritable("write");
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost != 0) {
            data.position(data.limit());
            noteWriteAfterLost();
            return;
        }
        if (queue == null || queue.isEmpty()) {
            try {
                Io.writeSome(socket, data);
            } catch (IOException e) {
                data.position(data.limit());
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, writeReady);
        }
        queue().append(data);
        maybePauseProtocol();
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
        checkWritable("writelines");
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        if (total == 0) {
            return;
        }
        if (connLost != 0) {
            consumeAll(data);
            noteWriteAfterLost();
            return;
        }
        boolean wasEmpty = queue == null || queue.isEmpty();
        if (wasEmpty && total <= MAX_DIRECT_GATHER) {
            try {
                socket.write(data);
            } catch (IOException e) {
                consumeAll(data);
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
        }
        WriteQueue q = null;
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                q = queue();
                q.append(b);
            }
        }
        if (q == null) {
            return;
        }
        if (wasEmpty) {
            loop.addWriter(channel, writeReady);
        }
        maybePauseProtocol();
    }

    private static void consumeAll(ByteBuffer[] data) {
        for (ByteBuffer b : data) {
            b.position(b.limit());
        }
    }

    private void checkWritable(String method) {
        if (eof) {
            throw new IllegalStateException("Cannot call " + method + "() after write_eof()");
        }
    }

    private WriteQueue queue() {
        WriteQueue q = queue;
        if (q == null) {
            q = new WriteQueue(net);
            queue = q;
        }
        return q;
    }

    /** The socket can take more: flush the queue. asyncio's {@code _write_sendmsg}. */
    private void onWritable() {
        if (connLost != 0) {
            return;
        }
        try {
            queue.writeTo(socket);
        } catch (IOException e) {
            loop.removeWriter(channel);
            queue.clear();
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        maybeResumeProtocol();
        if (queue.isEmpty()) {
            loop.removeWriter(channel);
            if (closing) {
                connLost++;
                callConnectionLost(null);
            } else if (eof) {
                shutdownOutput();
            }
        }
    }

    @Override
    public void writeEof() {
        if (closing || eof) {
            return;
        }
        eof = true;
        if (getWriteBufferSize() == 0) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "Fatal error on socket transport: shutdown failed");
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public long getWriteBufferSize() {
        WriteQueue q = queue;
        return q == null ? 0 : q.size();
    }

    @Override
    protected void clearWriteBuffer() {
        if (queue != null) {
            queue.clear();
        }
    }
}
