package io.jasyncio.internal.net;

import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Handle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * asyncio's low-level socket coroutines ({@code sock_connect}, {@code sock_accept},
 * {@code sock_recv}...) on non-blocking channels. Each tries the operation at once and, if the
 * channel is not ready, watches it with the loop and suspends the task until the operation is done.
 * The watch is removed when the task resumes, whether it finished, failed or was cancelled.
 */
public final class SocketOps {
    private SocketOps() {
    }

    static void checkNonBlocking(SelectableChannel channel) {
        Objects.requireNonNull(channel, "sock");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking: " + channel);
        }
    }

    /**
     * Suspends until {@code fut} is done, with {@code callback} called each time {@code channel} is
     * ready for reading (or writing), then stops watching the channel.
     */
    static <T> T awaitReady(EventLoop loop, SelectableChannel channel, boolean forWriting, Future<T> fut,
            Runnable callback) {
        NetLoop.of(loop).ensureNoTransport(channel);
        Handle handle = forWriting ? loop.addWriter(channel, callback) : loop.addReader(channel, callback);
        try {
            return fut.await();
        } finally {
            if (!handle.cancelled()) {
                if (forWriting) {
                    loop.removeWriter(channel);
                } else {
                    loop.removeReader(channel);
                }
            }
        }
    }

    /** asyncio's {@code sock_connect}; see {@link EventLoop#sockConnect}. */
    public static void sockConnect(EventLoop loop, SocketChannel sock, SocketAddress address) throws IOException {
        checkNonBlocking(sock);
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            List<InetSocketAddress> resolved = Resolver.ensureResolved(loop, inet.getHostString(), inet.getPort(), null);
            address = resolved.get(0);
        }
        SocketAddress target = address;
        try {
            if (sock.connect(target)) {
                return;
            }
        } catch (IOException e) {
            throw Io.withAddress(e, "Connect call failed", target);
        }
        Future<Void> fut = loop.createFuture();
        awaitReady(loop, sock, true, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                if (sock.finishConnect()) {
                    fut.setResult(null);
                }
            } catch (IOException e) {
                fut.setException(Io.withAddress(e, "Connect call failed", target));
            }
        });
    }

    /** asyncio's {@code sock_accept}; see {@link EventLoop#sockAccept}. */
    public static SocketChannel sockAccept(EventLoop loop, ServerSocketChannel sock) throws IOException {
        checkNonBlocking(sock);
        SocketChannel conn = sock.accept();
        if (conn != null) {
            return nonBlocking(conn);
        }
        Future<SocketChannel> fut = loop.createFuture();
        try {
            return awaitReady(loop, sock, false, fut, () -> {
                if (fut.done()) {
                    return;
                }
                try {
                    SocketChannel c = sock.accept();
                    if (c != null) {
                        fut.setResult(nonBlocking(c));
                    }
                } catch (IOException e) {
                    fut.setException(e);
                }
            });
        } catch (CancelledError e) {
            // Cancelled after a connection was accepted for this call: nobody will get it, close it.
            if (fut.done() && !fut.cancelled() && fut.exception() == null) {
                Io.closeQuietly(fut.result());
            }
            throw e;
        }
    }

    private static SocketChannel nonBlocking(SocketChannel conn) throws IOException {
        try {
            conn.configureBlocking(false);
            return conn;
        } catch (IOException e) {
            Io.closeQuietly(conn);
            throw e;
        }
    }

    /** asyncio's {@code sock_recv}; see {@link EventLoop#sockRecv}. */
    public static <C extends SelectableChannel & ReadableByteChannel> byte[] sockRecv(EventLoop loop, C sock, int n)
            throws IOException {
        checkNonBlocking(sock);
        if (n < 0) {
            throw new IllegalArgumentException("negative buffersize in recv: " + n);
        }
        if (n == 0) {
            return new byte[0];
        }
        ByteBuffer buf = ByteBuffer.allocate(n);
        int r = sock.read(buf);
        if (r != 0) {
            return received(buf, r);
        }
        Future<byte[]> fut = loop.createFuture();
        return awaitReady(loop, sock, false, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                int k = sock.read(buf);
                if (k != 0) {
                    fut.setResult(received(buf, k));
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    private static byte[] received(ByteBuffer buf, int n) {
        return n < 0 ? new byte[0] : Arrays.copyOf(buf.array(), n);
    }

    /** asyncio's {@code sock_recv_into}; see {@link EventLoop#sockRecvInto}. */
    public static <C extends SelectableChannel & ReadableByteChannel> int sockRecvInto(EventLoop loop, C sock,
            ByteBuffer buf) throws IOException {
        checkNonBlocking(sock);
        if (!buf.hasRemaining()) {
            return 0;
        }
        int r = sock.read(buf);
        if (r != 0) {
            return r;
        }
        Future<Integer> fut = loop.createFuture();
        return awaitReady(loop, sock, false, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                int k = sock.read(buf);
                if (k != 0) {
                    fut.setResult(k);
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    /** asyncio's {@code sock_sendall}; see {@link EventLoop#sockSendall}. */
    public static <C extends SelectableChannel & WritableByteChannel> void sockSendall(EventLoop loop, C sock,
            ByteBuffer data) throws IOException {
        checkNonBlocking(sock);
        Io.writeSome(sock, data);
        if (!data.hasRemaining()) {
            return;
        }
        Future<Void> fut = loop.createFuture();
        awaitReady(loop, sock, true, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                Io.writeSome(sock, data);
                if (!data.hasRemaining()) {
                    fut.setResult(null);
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    /** asyncio's {@code sock_sendfile}; see {@link EventLoop#sockSendfile}. */
    public static long sockSendfile(EventLoop loop, SocketChannel sock, FileChannel file, long offset, Long count)
            throws IOException {
        checkNonBlocking(sock);
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be a positive integer (got " + count + ")");
        }
        long end = count == null ? file.size() : Math.min(file.size(), offset + count);
        long position = offset;
        try {
            while (position < end) {
                long n = file.transferTo(position, end - position, sock);
                if (n > 0) {
                    position += n;
                } else if (file.size() <= position) {
                    break;
                } else {
                    awaitWritable(loop, sock);
                }
            }
            return position - offset;
        } finally {
            if (position > offset) {
                file.position(position);
            }
        }
    }

    private static void awaitWritable(EventLoop loop, SocketChannel sock) {
        Future<Void> writable = loop.createFuture();
        awaitReady(loop, sock, true, writable, () -> {
            if (!writable.done()) {
                writable.setResult(null);
            }
        });
    }
}
