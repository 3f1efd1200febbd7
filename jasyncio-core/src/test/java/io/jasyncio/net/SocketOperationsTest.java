package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The loop's low-level socket operations: sockConnect, sockAccept, sockRecv and friends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketOperationsTest {
    @TempDir
    Path dir;

    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        s.configureBlocking(false);
        return s;
    }

    private static SocketChannel client() throws IOException {
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        return c;
    }

    /** A connected pair: [client, accepted]. */
    private static SocketChannel[] pair(ServerSocketChannel listener) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Task<SocketChannel> accept = Asyncio.createTask(() -> loop.sockAccept(listener));
        SocketChannel c = client();
        loop.sockConnect(c, listener.getLocalAddress());
        return new SocketChannel[] {c, accept.await()};
    }

    @Test
    void sockConnectAndSockAcceptMakeAConnection() {
        run(() -> {
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                assertFalse(p[1].isBlocking(), "accepted connections are non-blocking");
                assertEquals(p[0].getLocalAddress(), p[1].getRemoteAddress());
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void sockRecvReturnsWhatArrivesAndEmptyAtEndOfStream() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                Task<byte[]> recv = Asyncio.createTask(() -> loop.sockRecv(p[1], 100));
                Asyncio.sleep(0);
                assertFalse(recv.done());
                loop.sockSendall(p[0], b("hello"));
                assertArrayEquals(b("hello"), recv.await());
                assertEquals(0, loop.sockRecv(p[1], 0).length);
                p[0].shutdownOutput();
                assertEquals(0, loop.sockRecv(p[1], 100).length);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.sockRecv(p[1], -1));
                assertTrue(e.getMessage().contains("-1"), e.getMessage());
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void sockRecvIntoFillsTheBufferAndReturnsMinusOneAtEndOfStream() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                ByteBuffer buf = ByteBuffer.allocate(3);
                Task<Integer> recv = Asyncio.createTask(() -> loop.sockRecvInto(p[1], buf));
                Asyncio.sleep(0);
                loop.sockSendall(p[0], ByteBuffer.wrap(b("abcdef")));
                assertEquals(3, recv.await());
                assertArrayEquals(b("abc"), buf.array());
                assertEquals(0, loop.sockRecvInto(p[1], buf), "a full buffer reads nothing");
                buf.clear();
                assertEquals(3, loop.sockRecvInto(p[1], buf));
                p[0].close();
                buf.clear();
                assertEquals(-1, loop.sockRecvInto(p[1], buf));
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void sockSendallSendsEverythingThroughAFullSocket() {
        int size = 16 << 20;
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                ByteBuffer data = ByteBuffer.wrap(patternBytes(0, size));
                Task<Void> send = Asyncio.createTask(() -> loop.sockSendall(p[0], data));
                ByteBuffer got = ByteBuffer.allocate(size);
                while (got.hasRemaining()) {
                    loop.sockRecvInto(p[1], got);
                }
                send.await();
                assertFalse(data.hasRemaining(), "the data is consumed");
                assertArrayEquals(patternBytes(0, size), got.array());
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void sockSendfileSendsTheRangeAndMovesTheFilePosition() throws IOException {
        Path file = dir.resolve("data.bin");
        byte[] content = patternBytes(0, 3 << 20);
        Files.write(file, content);
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener(); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                SocketChannel[] p = pair(l);
                Task<Long> send = Asyncio.createTask(() -> loop.sockSendfile(p[0], f, 100, (long) (1 << 20)));
                ByteBuffer got = ByteBuffer.allocate(1 << 20);
                while (got.hasRemaining()) {
                    loop.sockRecvInto(p[1], got);
                }
                assertEquals(1 << 20, send.await());
                assertArrayEquals(Arrays.copyOfRange(content, 100, 100 + (1 << 20)), got.array());
                assertEquals(100 + (1 << 20), f.position());
                Task<Long> whole = Asyncio.createTask(() -> loop.sockSendfile(p[0], f));
                ByteBuffer all = ByteBuffer.allocate(content.length);
                while (all.hasRemaining()) {
                    loop.sockRecvInto(p[1], all);
                }
                assertEquals(content.length, whole.await());
                assertArrayEquals(content, all.array());
                IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendfile(p[0], f, -1, null));
                assertTrue(offset.getMessage().contains("-1"), offset.getMessage());
                IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendfile(p[0], f, 0, 0L));
                assertTrue(count.getMessage().contains("count"), count.getMessage());
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void blockingChannelsAreRejected() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (SocketChannel blocking = SocketChannel.open()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockRecv(blocking, 10));
                assertTrue(e.getMessage().contains("non-blocking"), e.getMessage());
                assertThrows(IllegalArgumentException.class,
                        () -> loop.sockConnect(blocking, new InetSocketAddress("127.0.0.1", 1)));
            }
            return null;
        });
    }

    @Test
    void aSocketOwnedByATransportIsRejected() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, p[0]);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.sockRecv(p[0], 10));
                assertTrue(e.getMessage().contains("transport"), e.getMessage());
                c.transport().close();
                c.protocol().lost.await();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void cancellingSockAcceptLeavesTheListenerUsable() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                Task<SocketChannel> accept = Asyncio.createTask(() -> loop.sockAccept(l));
                Asyncio.sleep(0);
                accept.cancel();
                assertThrows(CancelledError.class, accept::await);
                SocketChannel[] p = pair(l);
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void cancellingSockRecvLeavesTheSocketUsable() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel l = listener()) {
                SocketChannel[] p = pair(l);
                Task<byte[]> recv = Asyncio.createTask(() -> loop.sockRecv(p[1], 10));
                Asyncio.sleep(0);
                recv.cancel();
                assertThrows(CancelledError.class, recv::await);
                loop.sockSendall(p[0], b("later"));
                assertArrayEquals(b("later"), loop.sockRecv(p[1], 10));
                p[0].close();
                p[1].close();
            }
            return null;
        });
    }

    @Test
    void sockConnectRefusedNamesTheAddressAndResolvesNames() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int port;
            try (ServerSocketChannel l = listener()) {
                port = ((InetSocketAddress) l.getLocalAddress()).getPort();
                Task<SocketChannel> accept = Asyncio.createTask(() -> loop.sockAccept(l));
                SocketChannel c = client();
                loop.sockConnect(c, InetSocketAddress.createUnresolved("localhost", port));
                accept.await().close();
                c.close();
            }
            try (SocketChannel c = client()) {
                ConnectException e = assertThrows(ConnectException.class,
                        () -> loop.sockConnect(c, new InetSocketAddress("127.0.0.1", port)));
                assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            }
            return null;
        });
    }
}
