package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.ECHO;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream functions over sockets made elsewhere: asyncio's {@code open_connection(sock=...)},
 * {@code start_server(sock=...)}, {@code open_unix_connection(sock=...)} and
 * {@code start_unix_server(sock=...)}, in plaintext and over TLS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsOverSocketsTest {
    @TempDir
    Path dir;

    /** Sends {@code text} through {@code c} to an echo server and checks what comes back; closes {@code c}. */
    private static void assertEchoes(StreamConnection c, String text) throws IOException {
        c.writer().write(b(text));
        assertEquals(text, new String(c.reader().readexactly(text.length()), US_ASCII));
        c.writer().close();
        c.writer().waitClosed();
    }

    /** A TCP socket on the loopback, listening, made outside the loop. */
    private static ServerSocketChannel tcpListener() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    /** A TCP socket connected to {@code server}, made outside the loop. */
    private static SocketChannel connectedTo(Server server) throws IOException {
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port(server)));
    }

    @Test
    void startServerServesOnAListeningSocketAndOpenConnectionTalksOverAConnectedOne() {
        run(() -> {
            ServerSocketChannel listening = tcpListener();
            Server server = Asyncio.startServer(ECHO, listening);
            assertEquals(listening.getLocalAddress(), server.sockets().get(0).getLocalAddress());
            assertTrue(server.isServing());
            SocketChannel sock = connectedTo(server);
            StreamConnection c = Asyncio.openConnection(sock);
            assertEquals(sock.getRemoteAddress(), c.writer().getExtraInfo("peername"));
            assertFalse(sock.isBlocking(), "the transport made the socket non-blocking");
            assertEchoes(c, "over a socket made elsewhere");
            assertFalse(sock.isOpen(), "the connection owned the socket and closed it");
            server.close();
            server.waitClosed();
            assertFalse(listening.isOpen(), "the server owned its socket and closed it");
            return null;
        });
    }

    @Test
    void startServerOnAnUnboundSocketBindsItToAFreePortAndTakesTheReadersLimitAndOptions() {
        run(() -> {
            ServerSocketChannel unbound = ServerSocketChannel.open();
            Server server = Asyncio.startServer((reader, writer) -> {
                try {
                    reader.readline();
                } catch (IllegalArgumentException overLimit) {
                    writer.write(b("limit " + overLimit.getMessage()));
                }
                writer.close();
            }, unbound, 8, ServerOptions.DEFAULT.withStartServing(false));
            int port = ((InetSocketAddress) unbound.getLocalAddress()).getPort();
            assertTrue(port > 0, "bound to a free port");
            assertFalse(server.isServing(), "startServing(false) was honoured");
            server.startServing();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port);
            c.writer().write(b("longer than eight bytes\n"));
            assertTrue(new String(c.reader().read(), US_ASCII).startsWith("limit "), "the readers' limit is 8");
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void openConnectionUsesTheReadersLimitGiven() {
        run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(b("0123456789\n"));
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection(connectedTo(server), 4);
            LimitOverrunError over = assertThrows(LimitOverrunError.class, () -> c.reader().readuntil(b("\n")));
            assertTrue(over.consumed() >= 4, "consumed " + over.consumed());
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void anUnconnectedOrClosedSocketIsRejectedAndLeftToTheCaller() {
        run(() -> {
            try (SocketChannel unconnected = SocketChannel.open()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.openConnection(unconnected));
                assertEquals("sock must be a connected socket: " + unconnected, e.getMessage());
                assertTrue(unconnected.isOpen(), "a refused socket stays the caller's");
                IllegalArgumentException overTls = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.openConnection(unconnected, StreamReader.DEFAULT_LIMIT, TlsTesting.clientOptions()));
                assertEquals("sock must be a connected socket: " + unconnected, overTls.getMessage());
                assertTrue(unconnected.isOpen());
            }
            SocketChannel closed = SocketChannel.open();
            closed.close();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.openConnection(closed));
            assertTrue(e.getMessage().startsWith("sock must be a connected socket"), e.getMessage());
            NullPointerException none = assertThrows(NullPointerException.class,
                    () -> Asyncio.openConnection((SocketChannel) null));
            assertEquals("sock", none.getMessage());
            assertThrows(NullPointerException.class, () -> Asyncio.startServer(ECHO, (ServerSocketChannel) null));
            return null;
        });
    }

    @Test
    void aBadLimitIsRejectedBeforeTheSocketIsTouched() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            try (SocketChannel sock = connectedTo(server); ServerSocketChannel listening = tcpListener()) {
                IllegalArgumentException connect = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.openConnection(sock, 0));
                assertEquals("Limit cannot be <= 0: 0", connect.getMessage());
                assertTrue(sock.isBlocking(), "untouched");
                IllegalArgumentException serve = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.startServer(ECHO, listening, -1, ServerOptions.DEFAULT));
                assertEquals("Limit cannot be <= 0: -1", serve.getMessage());
                assertTrue(listening.isBlocking(), "untouched");
            }
            server.close();
            return null;
        });
    }

    @Test
    void cancellingOpenConnectionWhileItWaitsForTheTransportClosesTheSocket() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            SocketChannel sock = connectedTo(server);
            Task<StreamConnection> opening = Asyncio.createTask(() -> Asyncio.openConnection(sock));
            // One iteration: the task runs until it waits for the transport to be ready.
            Asyncio.sleep(0);
            assertFalse(opening.done());
            opening.cancel();
            assertThrows(CancelledError.class, opening::await);
            while (sock.isOpen()) {
                Asyncio.sleep(0);
            }
            server.close();
            return null;
        });
    }

    @Test
    void unixFormsServeAndConnectOverExistingUnixSockets() {
        Path path = dir.resolve("made-elsewhere.sock");
        run(() -> {
            ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listening.bind(UnixDomainSocketAddress.of(path));
            Server server = Asyncio.startUnixServer(ECHO, listening);
            SocketChannel sock = SocketChannel.open(UnixDomainSocketAddress.of(path));
            StreamConnection c = Asyncio.openUnixConnection(sock);
            assertEquals(UnixDomainSocketAddress.of(path), c.writer().getExtraInfo("peername"));
            assertEchoes(c, "over a Unix socket made elsewhere");
            StreamConnection limited = Asyncio.openUnixConnection(SocketChannel.open(UnixDomainSocketAddress.of(path)), 2);
            assertEchoes(limited, "a reader limit of 2 bounds lines only");
            server.close();
            assertFalse(Files.exists(path), "closing the server removes the socket file");
            return null;
        });
    }

    @Test
    void unixFormsRejectTcpSocketsNamingThem() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            try (SocketChannel tcp = connectedTo(server); ServerSocketChannel tcpListening = tcpListener()) {
                IllegalArgumentException connect = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.openUnixConnection(tcp));
                assertEquals("A UNIX Domain Stream Socket was expected, got " + tcp, connect.getMessage());
                assertTrue(tcp.isOpen());
                IllegalArgumentException serve = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.startUnixServer(ECHO, tcpListening));
                assertEquals("A UNIX Domain Stream Socket was expected, got " + tcpListening, serve.getMessage());
                assertTrue(tcpListening.isOpen());
            }
            server.close();
            return null;
        });
    }

    @Test
    void tlsFormsRunTheHandshakeOverExistingSockets() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, tcpListener(), StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT,
                    TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection(connectedTo(server), StreamReader.DEFAULT_LIMIT,
                    TlsTesting.clientOptions());
            assertNotNull(c.writer().getExtraInfo("tls_version"));
            assertTrue(c.writer().transport() instanceof TlsTransport);
            assertEchoes(c, "encrypted over a socket made elsewhere");

            SocketChannel sock = connectedTo(server);
            IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.openConnection(sock, StreamReader.DEFAULT_LIMIT, TlsOptions.of(TlsTesting.clientContext())));
            assertEquals("You must set serverHostname when using ssl without a host", noName.getMessage());
            assertTrue(sock.isOpen());
            sock.close();
            server.close();
            return null;
        });
    }

    @Test
    void tlsUnixFormsRunTheHandshakeOverExistingUnixSockets() {
        Path path = dir.resolve("tls.sock");
        run(() -> {
            ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listening.bind(UnixDomainSocketAddress.of(path));
            Server server = Asyncio.startUnixServer(ECHO, listening, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT,
                    TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openUnixConnection(SocketChannel.open(UnixDomainSocketAddress.of(path)),
                    StreamReader.DEFAULT_LIMIT, TlsTesting.clientOptions());
            assertNotNull(c.writer().getExtraInfo("peercert"));
            assertEchoes(c, "encrypted over a Unix socket made elsewhere");
            server.close();
            return null;
        });
    }

    @Test
    void cancellingTheHandshakeOverAnExistingSocketClosesIt() {
        run(() -> {
            // A peer that accepts nothing and never answers: the handshake waits for ever.
            try (ServerSocketChannel silent = tcpListener()) {
                SocketChannel sock = SocketChannel.open(silent.getLocalAddress());
                Task<StreamConnection> opening = Asyncio.createTask(
                        () -> Asyncio.openConnection(sock, StreamReader.DEFAULT_LIMIT, TlsTesting.clientOptions()));
                for (int i = 0; i < 5; i++) {
                    Asyncio.sleep(0);
                }
                assertFalse(opening.done(), "waiting for the handshake");
                opening.cancel();
                assertThrows(CancelledError.class, opening::await);
                while (sock.isOpen()) {
                    Asyncio.sleep(0);
                }
            }
            return null;
        });
    }

    @Test
    void theLoopsUnixFormsTakeExistingSocketsInPlaintextAndOverTls() {
        Path plainPath = dir.resolve("plain.sock");
        Path tlsPath = dir.resolve("tls-loop.sock");
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server plain = Asyncio.startUnixServer(ECHO, plainPath);
            Connection<RecordingProtocol> c = loop.createUnixConnection(RecordingProtocol::new,
                    SocketChannel.open(UnixDomainSocketAddress.of(plainPath)));
            c.transport().write(b("plain"));
            assertEquals("plain", new String(c.protocol().awaitBytes(5), US_ASCII));
            c.transport().close();
            Server tcpServer = Asyncio.startServer(ECHO, "127.0.0.1", 0);
            try (SocketChannel tcp = connectedTo(tcpServer)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loop.createUnixConnection(RecordingProtocol::new, tcp, TlsTesting.clientOptions()));
                assertEquals("A UNIX Domain Stream Socket was expected, got " + tcp, e.getMessage());
            }
            tcpServer.close();
            plain.close();

            ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listening.bind(UnixDomainSocketAddress.of(tlsPath));
            Server tls = loop.createUnixServer(NetTesting::echoProtocol, listening, ServerOptions.DEFAULT, TlsTesting.serverOptions());
            Connection<RecordingProtocol> t = loop.createUnixConnection(RecordingProtocol::new,
                    SocketChannel.open(UnixDomainSocketAddress.of(tlsPath)), TlsTesting.clientOptions());
            assertTrue(t.transport() instanceof TlsTransport);
            t.transport().write(b("secret"));
            assertEquals("secret", new String(t.protocol().awaitBytes(6), US_ASCII));
            t.transport().close();
            assertNull(t.protocol().lost.await());
            tls.close();
            tls.closeClients();
            return null;
        });
    }

    @Test
    void openConnectionOutsideATaskIsRefusedAndTheCallerKeepsTheSocket() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer(ECHO, tcpListener());
            SocketChannel sock = connectedTo(server);
            io.jasyncio.Future<Throwable> refused = loop.createFuture();
            loop.callSoon(() -> refused.setResult(assertThrows(IllegalStateException.class, () -> Asyncio.openConnection(sock))));
            assertTrue(refused.await().getMessage().contains("must be called from a task"), refused.await().getMessage());
            Asyncio.sleep(0);
            assertTrue(sock.isOpen(), "a refused call leaves the socket to its caller");
            assertEchoes(Asyncio.openConnection(sock), "still usable");
            server.close();
            server.waitClosed();
            return null;
        });
    }
}
