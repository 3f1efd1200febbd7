package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.freePort;
import static io.jasyncio.net.NetTesting.openDescriptors;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streams API over real loopback TCP connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTest {

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** A server whose handler hands the connection's streams to the test through a future. */
    private static Server serverHandingOver(Future<StreamConnection> accepted) throws IOException {
        return Asyncio.startServer((reader, writer) -> accepted.setResult(new StreamConnection(reader, writer)),
                "127.0.0.1", 0);
    }

    @Test
    void echoRoundTripThroughOpenConnectionAndStartServer() {
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] data = reader.read(100);
                writer.write(data);
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            c.writer().write(b("Hello"));
            c.writer().drain();
            byte[] data = c.reader().read(100);
            assertEquals(0, c.reader().read(100).length, "the server closed after echoing");
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return s(data);
        });
        assertEquals("Hello", reply);
    }

    @Test
    void largeTransferToASlowReaderDeliversEveryByteInOrder() {
        long total = 256L << 20;
        int chunk = 64 * 1024;
        boolean[] seen = new boolean[2];
        long received = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] buf = new byte[chunk];
                for (long sent = 0; sent < total; sent += chunk) {
                    for (int i = 0; i < chunk; i++) {
                        buf[i] = pattern(sent + i);
                    }
                    writer.write(buf);
                    if (writer.transport().getWriteBufferSize() > writer.transport().getWriteBufferLimits().high()) {
                        seen[0] = true;
                    }
                    writer.drain();
                }
                writer.close();
                writer.waitClosed();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            Transport transport = (Transport) c.writer().transport();
            long got = 0;
            int reads = 0;
            while (true) {
                byte[] data = c.reader().read(16 * 1024);
                if (data.length == 0) {
                    break;
                }
                for (int i = 0; i < data.length; i++) {
                    if (data[i] != pattern(got + i)) {
                        fail("byte " + (got + i) + " differs");
                    }
                }
                got += data.length;
                if (!transport.isReading()) {
                    seen[1] = true;
                }
                if (++reads % 4 == 0) {
                    Asyncio.sleep(0);
                }
            }
            c.writer().close();
            server.close();
            server.waitClosed();
            return got;
        });
        assertEquals(total, received);
        assertTrue(seen[0], "the writer went over its high-water mark");
        assertTrue(seen[1], "the reader paused its transport");
    }

    @Test
    void drainSuspendsOverTheHighWaterMarkUntilTheBufferDrainsToTheLowWaterMark() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            ((Transport) peer.writer().transport()).pauseReading();
            WriteTransport t = c.writer().transport();
            t.setWriteBufferLimits(64 * 1024, 16 * 1024);
            byte[] block = patternBytes(0, 64 * 1024);
            long written = 0;
            while (t.getWriteBufferSize() <= 64 * 1024) {
                c.writer().write(block);
                written += block.length;
                Asyncio.sleep(0);
            }
            long total = written;
            long[] bufferWhenDrained = {-1};
            Task<Void> drain = Asyncio.createTask(() -> {
                c.writer().drain();
                bufferWhenDrained[0] = t.getWriteBufferSize();
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(drain.done(), "drain waits while the peer does not read");
            ((Transport) peer.writer().transport()).resumeReading();
            long got = 0;
            while (got < total) {
                got += peer.reader().read(1 << 20).length;
            }
            drain.await();
            assertTrue(bufferWhenDrained[0] >= 0 && bufferWhenDrained[0] <= 16 * 1024, "buffer " + bufferWhenDrained[0]);
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void severalTasksMayWaitInDrainAndAllResume() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            ((Transport) peer.writer().transport()).pauseReading();
            WriteTransport t = c.writer().transport();
            long written = 0;
            while (t.getWriteBufferSize() <= t.getWriteBufferLimits().high()) {
                c.writer().write(patternBytes(written, 64 * 1024));
                written += 64 * 1024;
                Asyncio.sleep(0);
            }
            Task<Void> first = Asyncio.createTask(() -> c.writer().drain());
            Task<Void> second = Asyncio.createTask(() -> c.writer().drain());
            Asyncio.sleep(0);
            assertFalse(first.done() || second.done());
            ((Transport) peer.writer().transport()).resumeReading();
            peer.reader().readexactly((int) written);
            first.await();
            second.await();
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void readerPausesItsTransportOverTwiceTheLimitAndResumesWhenRead() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), 1024, ConnectOptions.DEFAULT);
            StreamConnection peer = accepted.await();
            Transport clientTransport = (Transport) c.writer().transport();
            peer.writer().write(patternBytes(0, 4096));
            peer.writer().drain();
            while (clientTransport.isReading()) {
                Asyncio.sleep(0);
            }
            byte[] all = c.reader().readexactly(4096);
            assertArrayEquals(patternBytes(0, 4096), all);
            assertTrue(clientTransport.isReading(), "reading resumed once the buffer was under the limit");
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void clientHalfCloseLetsTheServerReadToEofAndStillReply() {
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] all = reader.read();
                writer.write(b("got " + all.length));
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            assertTrue(c.writer().canWriteEof());
            c.writer().write(b("hello world"));
            c.writer().writeEof();
            assertThrows(IllegalStateException.class, () -> c.writer().write(b("more")));
            byte[] answer = c.reader().read();
            c.writer().close();
            server.close();
            return s(answer);
        });
        assertEquals("got 11", reply);
    }

    @Test
    void serverHalfCloseLetsTheClientReadToEofAndStillSend() {
        String received = run(() -> {
            Future<String> serverGot = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(b("bye"));
                writer.writeEof();
                serverGot.setResult(s(reader.read()));
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            assertEquals("bye", s(c.reader().read()));
            assertTrue(c.reader().atEof());
            assertFalse(c.writer().isClosing(), "end of stream from the peer leaves the writing half open");
            c.writer().write(b("still here"));
            c.writer().writeEof();
            String got = serverGot.await();
            c.writer().close();
            server.close();
            return got;
        });
        assertEquals("still here", received);
    }

    @Test
    void peerResetMidWriteMakesDrainRaiseAndNothingHangs() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            TransportSocket peerSocket = (TransportSocket) peer.writer().getExtraInfo("socket");
            peerSocket.setOption(StandardSocketOptions.SO_LINGER, 0);
            Task<Void> writer = Asyncio.createTask(() -> {
                byte[] block = patternBytes(0, 64 * 1024);
                while (true) {
                    c.writer().write(block);
                    c.writer().drain();
                }
            });
            Asyncio.sleep(0.05);
            peer.writer().transport().abort();
            IOException e = assertThrows(IOException.class, writer::await);
            assertNotNull(e.getMessage());
            assertThrows(IOException.class, () -> c.writer().drain(), "drain keeps raising");
            assertTrue(c.writer().isClosing());
            try {
                c.writer().waitClosed();
            } catch (IOException expected) {
                // The connection ended with the reset; waitClosed may report it.
            }
            server.close();
            return null;
        });
    }

    @Test
    void connectionRefusedNamesTheHostAndPort() throws IOException {
        int port = freePort();
        ConnectException e = assertThrows(ConnectException.class,
                () -> run(() -> Asyncio.openConnection("127.0.0.1", port)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void unreachableNetworkNamesTheHostAndPort() {
        SocketException e = assertThrows(SocketException.class,
                () -> run(() -> Asyncio.openConnection("255.255.255.255", 9)));
        assertTrue(e.getMessage().contains("255.255.255.255:9"), e.getMessage());
    }

    @Test
    void unknownHostRaisesUnknownHostException() {
        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> run(() -> Asyncio.openConnection("no-such-host.invalid", 80)));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void cancellingATaskBlockedInReadLeavesTheConnectionUsable() {
        String got = run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            Task<byte[]> blocked = Asyncio.createTask(() -> c.reader().readexactly(5));
            Asyncio.sleep(0);
            peer.writer().write(b("ab"));
            Asyncio.sleep(0.02);
            blocked.cancel();
            assertThrows(CancelledError.class, blocked::await);
            peer.writer().write(b("cdef"));
            String result = s(c.reader().readexactly(6));
            c.writer().close();
            peer.writer().close();
            server.close();
            return result;
        });
        assertEquals("abcdef", got);
    }

    @Test
    void cancellingATaskBlockedInDrainLeavesTheConnectionUsable() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            Transport peerTransport = (Transport) peer.writer().transport();
            peerTransport.pauseReading();
            WriteTransport t = c.writer().transport();
            long written = 0;
            while (t.getWriteBufferSize() <= t.getWriteBufferLimits().high()) {
                c.writer().write(patternBytes(written, 32 * 1024));
                written += 32 * 1024;
                Asyncio.sleep(0);
            }
            Task<Void> drain = Asyncio.createTask(() -> c.writer().drain());
            Asyncio.sleep(0);
            drain.cancel();
            assertThrows(CancelledError.class, drain::await);
            assertFalse(t.isClosing());
            c.writer().write(patternBytes(written, 10));
            written += 10;
            peerTransport.resumeReading();
            byte[] all = peer.reader().readexactly((int) written);
            assertArrayEquals(patternBytes(0, (int) written), all);
            c.writer().drain();
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void failingHandlerIsReportedAndItsConnectionClosed() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                throw new IllegalStateException("handler bug");
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            assertEquals(0, c.reader().read().length, "the connection is closed");
            c.writer().close();
            server.close();
            return null;
        });
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("Unhandled exception in client_connected_cb", errors.get(0).get("message"));
        assertEquals("handler bug", ((Throwable) errors.get(0).get("exception")).getMessage());
    }

    @Test
    void cancelledHandlerClosesItsConnection() {
        run(() -> {
            Future<Task<?>> handlerTask = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                handlerTask.setResult(Asyncio.currentTask());
                reader.read();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            handlerTask.await().cancel();
            assertEquals(0, c.reader().read().length, "the server side closed");
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void writerExposesPeernameSocknameAndSocket() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = serverHandingOver(accepted);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            StreamConnection peer = accepted.await();
            InetSocketAddress peername = (InetSocketAddress) c.writer().getExtraInfo("peername");
            InetSocketAddress sockname = (InetSocketAddress) c.writer().getExtraInfo("sockname");
            assertEquals(port(server), peername.getPort());
            assertEquals(sockname, peer.writer().getExtraInfo("peername"));
            TransportSocket sock = (TransportSocket) c.writer().getExtraInfo("socket");
            assertEquals(sockname, sock.getLocalAddress());
            assertEquals(peername, sock.getRemoteAddress());
            assertEquals(Boolean.TRUE, sock.getOption(StandardSocketOptions.TCP_NODELAY));
            assertNull(c.writer().getExtraInfo("no such thing"));
            assertEquals("dflt", c.writer().getExtraInfo("no such thing", "dflt"));
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void openConnectionBindsTheLocalAddressGiven() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            ConnectOptions options = ConnectOptions.DEFAULT.withLocalAddr(InetSocketAddress.createUnresolved("localhost", 0));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), StreamReader.DEFAULT_LIMIT, options);
            InetSocketAddress local = (InetSocketAddress) c.writer().getExtraInfo("sockname");
            assertEquals("127.0.0.1", local.getAddress().getHostAddress());
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void readerOfAConnectionAlreadyHasItsTransport() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            assertThrows(IllegalStateException.class, () -> c.reader().setTransport((Transport) c.writer().transport()));
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void serverReadersUseTheLimitGiven() {
        String outcome = run(() -> {
            Future<String> result = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                try {
                    reader.readline();
                    result.setResult("no error");
                } catch (IllegalArgumentException e) {
                    result.setResult("limit " + reader.getLimit());
                }
                writer.close();
            }, "127.0.0.1", 0, 8, ServerOptions.DEFAULT);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            c.writer().write(b("much longer than eight bytes\n"));
            String r = result.await();
            c.writer().close();
            server.close();
            return r;
        });
        assertEquals("limit 8", outcome);
    }

    @Test
    void closingEveryConnectionReleasesEveryDescriptor() {
        run(() -> connectAndCloseMany(5));
        long before = openDescriptors();
        long[] during = new long[2];
        run(() -> {
            during[0] = openDescriptors();
            connectAndCloseMany(50);
            Asyncio.sleep(0);
            during[1] = openDescriptors();
            return null;
        });
        assertEquals(during[0], during[1], "descriptors while the loop still runs");
        assertEquals(before, openDescriptors(), "descriptors after the loop closed");
    }

    private static Void connectAndCloseMany(int n) throws IOException {
        Server server = Asyncio.startServer((reader, writer) -> {
            writer.write(reader.read(10));
            writer.close();
            writer.waitClosed();
        }, "127.0.0.1", 0);
        for (int i = 0; i < n; i++) {
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            c.writer().write(b("ping"));
            assertEquals("ping", s(c.reader().read()));
            c.writer().close();
            c.writer().waitClosed();
        }
        server.close();
        server.waitClosed();
        return null;
    }
}
