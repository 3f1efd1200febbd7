package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.ECHO;
import static io.jasyncio.net.NetTesting.freePort;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Servers made by createServer and startServer, over real loopback TCP sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerTest {

    private static void assertEchoes(String host, int port) throws IOException {
        StreamConnection c = Asyncio.openConnection(host, port);
        c.writer().write(b("ping"));
        assertArrayEquals(b("ping"), c.reader().readexactly(4));
        c.writer().close();
        c.writer().waitClosed();
    }

    private static boolean ipv6Loopback() {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void portZeroPicksAFreePortReadableFromSockets() {
        run(() -> {
            Server server = Asyncio.getRunningLoop().createServer(RecordingProtocol::new, "127.0.0.1", 0);
            assertEquals(1, server.sockets().size());
            InetSocketAddress local = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
            assertTrue(local.getPort() > 0);
            assertEquals(StandardProtocolFamily.INET, server.sockets().get(0).family());
            assertNull(server.sockets().get(0).getRemoteAddress());
            assertTrue(server.isServing());
            assertSame(Asyncio.getRunningLoop(), server.getLoop());
            server.close();
            assertEquals(List.of(), server.sockets());
            assertFalse(server.isServing());
            return null;
        });
    }

    @Test
    void everyHostGetsItsOwnListeningSocket() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
        run(() -> {
            Server server = Asyncio.startServer(ECHO, List.of("127.0.0.1", "::1", "127.0.0.1"), 0,
                    StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
            assertEquals(2, server.sockets().size(), "duplicates are bound once");
            for (TransportSocket s : server.sockets()) {
                InetSocketAddress a = (InetSocketAddress) s.getLocalAddress();
                assertEchoes(a.getAddress().getHostAddress(), a.getPort());
            }
            InetSocketAddress v4 = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
            InetSocketAddress v6 = (InetSocketAddress) server.sockets().get(1).getLocalAddress();
            assertInstanceOf(Inet4Address.class, v4.getAddress());
            assertInstanceOf(Inet6Address.class, v6.getAddress());
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void anEmptyHostListensOnEveryInterface() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "", 0);
            assertEquals(1, server.sockets().size());
            int port = port(server);
            assertTrue(((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getAddress().isAnyLocalAddress());
            assertEchoes("127.0.0.1", port);
            if (ipv6Loopback()) {
                assertEchoes("::1", port);
            }
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void familyInetListensOnIpv4Only() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "", 0, StreamReader.DEFAULT_LIMIT,
                    ServerOptions.DEFAULT.withFamily(StandardProtocolFamily.INET));
            InetSocketAddress local = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
            assertInstanceOf(Inet4Address.class, local.getAddress());
            assertEchoes("127.0.0.1", local.getPort());
            server.close();
            return null;
        });
    }

    @Test
    void startServingFalseAcceptsOnlyOnceServingStarts() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<RecordingProtocol> accepted = new ArrayList<>();
            Server server = loop.createServer(() -> {
                RecordingProtocol p = new RecordingProtocol();
                accepted.add(p);
                return p;
            }, "127.0.0.1", 0, ServerOptions.DEFAULT.withStartServing(false));
            assertFalse(server.isServing());
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, "127.0.0.1", port(server));
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(0, accepted.size(), "nothing accepted before startServing");
            server.startServing();
            assertTrue(server.isServing());
            server.startServing();
            while (accepted.isEmpty()) {
                Asyncio.sleep(0);
            }
            accepted.get(0).made.await();
            c.transport().close();
            server.close();
            server.closeClients();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void aServingServerCreatedOutsideATaskIsRefusedBeforeItBinds() throws IOException {
        int port = freePort();
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> refused = loop.createFuture();
            Future<Server> notServing = loop.createFuture();
            loop.callSoon(() -> {
                refused.setResult(assertThrows(IllegalStateException.class,
                        () -> loop.createServer(RecordingProtocol::new, "127.0.0.1", port)));
                try {
                    notServing.setResult(loop.createServer(RecordingProtocol::new, "127.0.0.1", port,
                            ServerOptions.DEFAULT.withStartServing(false)));
                } catch (IOException e) {
                    notServing.setException(e);
                }
            });
            assertTrue(refused.await().getMessage().contains("must be called from a task"), refused.await().getMessage());
            // The refused call bound nothing: the same port was free for the next server.
            Server server = notServing.await();
            assertEquals(port, port(server));
            assertFalse(server.isServing());
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void startServingOutsideATaskIsRefusedAndDoesNotStartServing() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(RecordingProtocol::new, "127.0.0.1", 0,
                    ServerOptions.DEFAULT.withStartServing(false));
            Future<Throwable> refused = loop.createFuture();
            loop.callSoon(() -> refused.setResult(assertThrows(IllegalStateException.class, server::startServing)));
            assertTrue(refused.await().getMessage().contains("startServing()"), refused.await().getMessage());
            assertFalse(server.isServing());
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void aServerWhoseCreatorIsCancelledWhileItStartsServingIsClosed() throws IOException {
        int port = freePort();
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<Server> creating = Asyncio.createTask(() -> loop.createServer(RecordingProtocol::new, "127.0.0.1", port));
            // The creator binds and starts serving in its first step, then yields one iteration:
            // this task runs in that iteration and cancels it there.
            Asyncio.sleep(0);
            creating.cancel();
            assertThrows(CancelledError.class, creating::await);
            // Nothing listens any more: the same port binds again.
            Server again = loop.createServer(RecordingProtocol::new, "127.0.0.1", port);
            assertEquals(port, port(again));
            again.close();
            again.waitClosed();
            return null;
        });
    }

    @Test
    void cancellingServeForeverClosesTheServerAndWaitsForItsClients() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT,
                    ServerOptions.DEFAULT.withStartServing(false));
            int port = port(server);
            Task<Void> serving = Asyncio.createTask(() -> {
                try (server) {
                    server.serveForever();
                }
            });
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port);
            c.writer().write(b("x"));
            c.reader().readexactly(1);
            serving.cancel();
            for (int i = 0; i < 3; i++) {
                Asyncio.sleep(0);
            }
            assertFalse(serving.done(), "serveForever waits for the connected client");
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            c.writer().close();
            assertThrows(CancelledError.class, serving::await);
            IllegalStateException e = assertThrows(IllegalStateException.class, server::serveForever);
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, server::startServing);
            return null;
        });
    }

    @Test
    void closingTheServerEndsServeForeverWithCancelledError() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            Task<Void> serving = Asyncio.createTask(server::serveForever);
            Asyncio.sleep(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, server::serveForever);
            assertTrue(e.getMessage().contains("already being awaited"), e.getMessage());
            server.close();
            assertThrows(CancelledError.class, serving::await);
            assertEquals(0, serving.cancelling(), "the task itself was not cancelled");
            return null;
        });
    }

    @Test
    void waitClosedWaitsUntilClosedAndEveryClientIsGone() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            Task<Void> beforeClients = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(beforeClients.done(), "open server without clients: waits");
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            Task<Void> withClient = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(withClient.done());
            server.close();
            Asyncio.sleep(0);
            Task<Void> afterClose = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(beforeClients.done() || withClient.done() || afterClose.done(), "closed with a client: waits");
            c.writer().close();
            c.writer().waitClosed();
            beforeClients.await();
            withClient.await();
            afterClose.await();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void waitClosedReturnsWhenTheServerAndItsLastClientCloseInTheSameIteration() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(server::close);
            loop.callSoon(c.writer()::close);
            server.waitClosed();
            waiting.await();
            return null;
        });
    }

    @Test
    void closeClientsClosesTheAcceptedConnections() {
        run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                try {
                    reader.read();
                } finally {
                    writer.close();
                    writer.waitClosed();
                }
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            server.close();
            server.closeClients();
            waiting.await();
            assertEquals(0, c.reader().read().length, "the client sees the server side close");
            c.writer().close();
            return null;
        });
    }

    @Test
    void abortClientsDropsWhatTheAcceptedConnectionsBuffered() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<StreamConnection> accepted = loop.createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                accepted.setResult(new StreamConnection(reader, writer));
                writer.waitClosed();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), 4096, ConnectOptions.DEFAULT);
            StreamConnection s = accepted.await();
            ((Transport) c.writer().transport()).pauseReading();
            while (s.writer().transport().getWriteBufferSize() == 0) {
                s.writer().write(patternBytes(0, 256 * 1024));
                Asyncio.sleep(0);
            }
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(waiting.done());
            server.close();
            server.abortClients();
            assertEquals(0, s.writer().transport().getWriteBufferSize());
            waiting.await();
            c.writer().transport().abort();
            return null;
        });
    }

    @Test
    void aClosedServerRefusesNewConnectionsButKeepsItsClients() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            int port = port(server);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port);
            server.close();
            server.close();
            assertThrows(ConnectException.class, () -> Asyncio.openConnection("127.0.0.1", port));
            c.writer().write(b("still"));
            assertArrayEquals(b("still"), c.reader().readexactly(5));
            c.writer().close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void closingAServerFreesItsPortAtOnce() {
        run(() -> {
            Server first = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            int port = port(first);
            first.close();
            Server second = Asyncio.startServer(ECHO, "127.0.0.1", port);
            assertEchoes("127.0.0.1", port);
            second.close();
            return null;
        });
    }

    @Test
    void reusePortLetsTwoServersShareAPort() {
        run(() -> {
            ServerOptions reuse = ServerOptions.DEFAULT.withReusePort(true);
            Server first = Asyncio.startServer(ECHO, "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT, reuse);
            int port = port(first);
            Server second = Asyncio.startServer(ECHO, "127.0.0.1", port, StreamReader.DEFAULT_LIMIT, reuse);
            assertEquals(port, port(second));
            assertEquals(Boolean.TRUE, second.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEPORT));
            assertEchoes("127.0.0.1", port);
            first.close();
            second.close();
            return null;
        });
    }

    @Test
    void bindingAnAddressInUseNamesTheAddress() {
        run(() -> {
            Server first = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            int port = port(first);
            BindException e = assertThrows(BindException.class, () -> Asyncio.startServer(ECHO, "127.0.0.1", port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            first.close();
            return null;
        });
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                    () -> loop.createServer(RecordingProtocol::new, "127.0.0.1", 70000));
            assertTrue(port.getMessage().contains("70000"), port.getMessage());
            IllegalArgumentException backlog = assertThrows(IllegalArgumentException.class,
                    () -> ServerOptions.DEFAULT.withBacklog(0));
            assertTrue(backlog.getMessage().contains("backlog"), backlog.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withFamily(StandardProtocolFamily.UNIX));
            assertThrows(NullPointerException.class, () -> loop.createServer(null, "127.0.0.1", 0));
            return null;
        });
    }

    @Test
    void serverOverAnExistingSocketServesOnIt() {
        run(() -> {
            ServerSocketChannel sock = ServerSocketChannel.open();
            sock.bind(new InetSocketAddress("127.0.0.1", 0));
            Server server = Asyncio.getRunningLoop().createServer(() -> new Protocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    ((Transport) transport).write(b("hello"));
                    transport.close();
                }
            }, sock, ServerOptions.DEFAULT);
            int port = ((InetSocketAddress) sock.getLocalAddress()).getPort();
            assertEquals(port, port(server));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port);
            assertArrayEquals(b("hello"), c.reader().read());
            c.writer().close();
            server.close();
            assertFalse(sock.isOpen(), "the server owns and closes the socket");
            return null;
        });
    }

    @Test
    void aFailingProtocolFactoryClosesTheIncomingConnectionAndIsReportedInDebugMode() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(() -> {
                throw new IllegalStateException("factory bug");
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            try {
                assertEquals(0, c.reader().read().length);
            } catch (IOException reset) {
                // Closing an unaccepted connection may reset it instead.
            }
            assertEquals(0, errors.size(), "not reported outside debug mode, as in asyncio");
            loop.setDebug(true);
            StreamConnection d = Asyncio.openConnection("127.0.0.1", port(server));
            try {
                d.reader().read();
            } catch (IOException reset) {
                // As above.
            }
            loop.setDebug(false);
            c.writer().close();
            d.writer().close();
            server.close();
            return null;
        });
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("Error on transport creation for incoming connection", errors.get(0).get("message"));
    }

    @Test
    void keepAliveIsSetOnAcceptedConnections() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> accepted.setResult(new StreamConnection(r, w)),
                    "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT.withKeepAlive(true));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            TransportSocket s = (TransportSocket) accepted.await().writer().getExtraInfo("socket");
            assertEquals(Boolean.TRUE, s.getOption(StandardSocketOptions.SO_KEEPALIVE));
            c.writer().close();
            server.close();
            server.closeClients();
            return null;
        });
    }

    @Test
    void everyAcceptedConnectionGetsItsOwnProtocol() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<RecordingProtocol> made = new ArrayList<>();
            Server server = loop.createServer(() -> {
                RecordingProtocol p = new RecordingProtocol();
                made.add(p);
                return p;
            }, "127.0.0.1", 0);
            List<Connection<RecordingProtocol>> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(loop.createConnection(RecordingProtocol::new, "127.0.0.1", port(server)));
            }
            for (int i = 0; i < 5; i++) {
                clients.get(i).transport().write(b("client" + i));
                clients.get(i).transport().writeEof();
            }
            for (RecordingProtocol p : made) {
                p.awaitBytes(7);
            }
            assertEquals(5, made.size());
            List<String> got = new ArrayList<>();
            for (RecordingProtocol p : made) {
                got.add(p.received.toString(US_ASCII));
            }
            got.sort(null);
            assertEquals(List.of("client0", "client1", "client2", "client3", "client4"), got);
            server.close();
            server.closeClients();
            server.waitClosed();
            clients.forEach(c -> c.transport().close());
            return null;
        });
    }
}
