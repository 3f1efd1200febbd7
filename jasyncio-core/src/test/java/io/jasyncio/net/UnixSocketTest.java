package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.ECHO;
import static io.jasyncio.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Unix-domain stream sockets: servers, connections and the socket file's life. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketTest {
    @TempDir
    Path dir;

    private static void assertEchoes(Path path) throws IOException {
        StreamConnection c = Asyncio.openUnixConnection(path);
        c.writer().write(b("ping"));
        assertArrayEquals(b("ping"), c.reader().readexactly(4));
        c.writer().close();
        c.writer().waitClosed();
    }

    @Test
    void echoThroughStartUnixServerAndOpenUnixConnection() {
        Path path = dir.resolve("echo.sock");
        run(() -> {
            Server server = Asyncio.startUnixServer(ECHO, path);
            TransportSocket listening = server.sockets().get(0);
            assertEquals(UnixDomainSocketAddress.of(path), listening.getLocalAddress());
            assertEquals(StandardProtocolFamily.UNIX, listening.family());
            StreamConnection c = Asyncio.openUnixConnection(path);
            assertEquals(UnixDomainSocketAddress.of(path), c.writer().getExtraInfo("peername"));
            assertTrue(c.writer().canWriteEof());
            c.writer().write(b("hello unix"));
            c.writer().writeEof();
            assertArrayEquals(b("hello unix"), c.reader().read());
            c.writer().close();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void closingTheServerRemovesItsSocketFile() {
        Path path = dir.resolve("s.sock");
        run(() -> {
            Server server = Asyncio.startUnixServer(ECHO, path);
            assertTrue(Files.exists(path));
            server.close();
            assertFalse(Files.exists(path));
            return null;
        });
    }

    @Test
    void aStaleSocketFileIsReplaced() {
        Path path = dir.resolve("stale.sock");
        run(() -> {
            Server old = Asyncio.startUnixServer(ECHO, path, StreamReader.DEFAULT_LIMIT,
                    ServerOptions.DEFAULT.withCleanupSocket(false));
            old.close();
            assertTrue(Files.exists(path), "cleanupSocket=false leaves the file");
            Server server = Asyncio.startUnixServer(ECHO, path);
            assertEchoes(path);
            server.close();
            return null;
        });
    }

    @Test
    void aRegularFileAtThePathIsLeftAloneAndTheBindFails() throws IOException {
        Path path = dir.resolve("not-a-socket");
        Files.writeString(path, "precious");
        BindException e = assertThrows(BindException.class, () -> run(() -> Asyncio.startUnixServer(ECHO, path)));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void closeLeavesASocketFileThatSomeoneElseReplaced() {
        Path path = dir.resolve("replaced.sock");
        run(() -> {
            Server server = Asyncio.startUnixServer(ECHO, path);
            Files.delete(path);
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(path));
                server.close();
                assertTrue(Files.exists(path), "the other socket's file stays");
            }
            return null;
        });
    }

    @Test
    void closeCopesWithTheSocketFileAlreadyGone() {
        Path path = dir.resolve("gone.sock");
        run(() -> {
            Server server = Asyncio.startUnixServer(ECHO, path);
            Files.delete(path);
            server.close();
            assertFalse(Files.exists(path));
            return null;
        });
    }

    @Test
    void tcpOnlyOptionsAreRejectedForUnixServers() {
        Path path = dir.resolve("opts.sock");
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.startUnixServer(ECHO, path, StreamReader.DEFAULT_LIMIT,
                            ServerOptions.DEFAULT.withReusePort(true)));
            assertTrue(e.getMessage().contains("reusePort"), e.getMessage());
            assertFalse(Files.exists(path));
            return null;
        });
    }

    @Test
    void connectingToAMissingPathNamesThePath() {
        Path path = dir.resolve("nobody-home.sock");
        IOException e = assertThrows(IOException.class, () -> run(() -> Asyncio.openUnixConnection(path)));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void protocolsWorkOverUnixConnections() {
        Path path = dir.resolve("proto.sock");
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createUnixServer(NetTesting::echoProtocol, path);
            Connection<RecordingProtocol> c = loop.createUnixConnection(RecordingProtocol::new, path);
            c.transport().write(b("over unix"));
            assertArrayEquals(b("over unix"), c.protocol().awaitBytes(9));
            c.transport().close();
            server.close();
            server.closeClients();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void unixServerOverAnExistingSocket() {
        Path path = dir.resolve("existing.sock");
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ServerSocketChannel sock = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            sock.bind(UnixDomainSocketAddress.of(path));
            Server server = loop.createUnixServer(RecordingProtocol::new, sock, ServerOptions.DEFAULT);
            Connection<RecordingProtocol> c = loop.createUnixConnection(RecordingProtocol::new, path);
            c.transport().close();
            server.close();
            assertFalse(Files.exists(path), "cleaned up like a server that bound the path itself");
            ServerSocketChannel tcp = ServerSocketChannel.open();
            tcp.bind(null);
            assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixServer(RecordingProtocol::new, tcp, ServerOptions.DEFAULT));
            tcp.close();
            return null;
        });
    }
}
