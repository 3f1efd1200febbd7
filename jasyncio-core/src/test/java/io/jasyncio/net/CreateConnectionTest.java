package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.openDescriptors;
import static io.jasyncio.net.NetTesting.port;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * createConnection's handling of several addresses, local addresses, families and Happy Eyeballs.
 * A loop whose getaddrinfo answers from a script stands in for DNS, as asyncio's tests patch it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CreateConnectionTest {

    /** A loop resolving names from a script; {@code never.example} never resolves, other names resolve for real. */
    static final class ScriptedLoop extends EventLoop {
        final Map<String, List<String>> answers = new HashMap<>();
        final List<String> lookups = new ArrayList<>();
        Future<Void> neverResolves;

        @Override
        public List<InetSocketAddress> getaddrinfo(String host, int port, ProtocolFamily family)
                throws UnknownHostException {
            lookups.add(host);
            if ("never.example".equals(host)) {
                neverResolves = createFuture();
                neverResolves.await();
            }
            List<String> ips = answers.get(host);
            if (ips == null) {
                return super.getaddrinfo(host, port, family);
            }
            List<InetSocketAddress> out = new ArrayList<>();
            for (String ip : ips) {
                InetSocketAddress a = new InetSocketAddress(ip, port);
                if (family == null || (family == StandardProtocolFamily.INET) == (a.getAddress() instanceof java.net.Inet4Address)) {
                    out.add(a);
                }
            }
            if (out.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return out;
        }
    }

    private static <T> T runScripted(Map<String, List<String>> answers, AsyncCallable<T> main) {
        return Asyncio.run(main, () -> {
            ScriptedLoop loop = new ScriptedLoop();
            loop.answers.putAll(answers);
            return loop;
        }, null);
    }

    private static Server listen() throws IOException {
        return Asyncio.getRunningLoop().createServer(RecordingProtocol::new, "127.0.0.1", 0);
    }

    private static InetSocketAddress peer(Connection<?> c) {
        return (InetSocketAddress) c.transport().getExtraInfo("peername");
    }

    @Test
    void everyResolvedAddressIsTriedInTurnUntilOneConnects() {
        String connectedTo = runScripted(Map.of("multi", List.of("127.0.0.2", "127.0.0.3", "127.0.0.1")), () -> {
            Server server = listen();
            Connection<RecordingProtocol> c = Asyncio.getRunningLoop().createConnection(RecordingProtocol::new,
                    "multi", port(server));
            String ip = peer(c).getAddress().getHostAddress();
            c.transport().close();
            server.close();
            server.closeClients();
            return ip;
        });
        assertEquals("127.0.0.1", connectedTo);
    }

    @Test
    void differentFailuresAreCombinedIntoOneErrorNamingEachAddress() {
        IOException e = assertThrows(IOException.class, () -> runScripted(
                Map.of("multi", List.of("127.0.0.2", "127.0.0.3")), () -> {
                    Server server = listen();
                    int port = port(server);
                    server.close();
                    return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "multi", port);
                }));
        assertTrue(e.getMessage().startsWith("Multiple exceptions: "), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.2:") && e.getMessage().contains("127.0.0.3:"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void allErrorsReportsEveryAttemptAsASuppressedError() {
        IOException e = assertThrows(IOException.class, () -> runScripted(
                Map.of("multi", List.of("127.0.0.2", "127.0.0.3")), () -> {
                    Server server = listen();
                    int port = port(server);
                    server.close();
                    return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "multi", port,
                            ConnectOptions.DEFAULT.withAllErrors(true));
                }));
        assertEquals(2, e.getSuppressed().length);
        for (Throwable s : e.getSuppressed()) {
            assertInstanceOf(ConnectException.class, s);
        }
    }

    @Test
    void aSingleFailureIsRaisedAsItIs() {
        assertThrows(ConnectException.class, () -> runScripted(Map.of("one", List.of("127.0.0.2")), () -> {
            Server server = listen();
            int port = port(server);
            server.close();
            return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "one", port);
        }));
    }

    @Test
    void theFamilyOptionKeepsOnlyThatFamilysAddresses() {
        String connectedTo = runScripted(Map.of("dual", List.of("::1", "127.0.0.1")), () -> {
            Server server = listen();
            Connection<RecordingProtocol> c = Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "dual",
                    port(server), ConnectOptions.DEFAULT.withFamily(StandardProtocolFamily.INET));
            String ip = peer(c).getAddress().getHostAddress();
            c.transport().close();
            server.close();
            server.closeClients();
            return ip;
        });
        assertEquals("127.0.0.1", connectedTo);
    }

    @Test
    void aLocalAddressOfAnotherFamilyFailsClearly() {
        SocketException e = assertThrows(SocketException.class, () -> runScripted(Map.of(), () -> {
            Server server = listen();
            try {
                return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "127.0.0.1", port(server),
                        ConnectOptions.DEFAULT.withLocalAddr(new InetSocketAddress("::1", 0)));
            } finally {
                server.close();
            }
        }));
        assertTrue(e.getMessage().contains("no matching local address"), e.getMessage());
    }

    @Test
    void numericHostsAreNotLookedUp() {
        List<String> lookups = runScripted(Map.of(), () -> {
            Server server = listen();
            Connection<RecordingProtocol> c = Asyncio.getRunningLoop().createConnection(RecordingProtocol::new,
                    "127.0.0.1", port(server));
            c.transport().close();
            server.close();
            server.closeClients();
            return ((ScriptedLoop) Asyncio.getRunningLoop()).lookups;
        });
        assertEquals(List.of(), lookups);
    }

    @Test
    void aNullHostConnectsToTheLoopback() {
        runScripted(Map.of(), () -> {
            Server server = listen();
            Connection<RecordingProtocol> c = EventLoop.running().createConnection(RecordingProtocol::new,
                    (String) null, port(server));
            assertTrue(peer(c).getAddress().isLoopbackAddress());
            c.transport().close();
            server.close();
            server.closeClients();
            return null;
        });
    }

    @Test
    void happyEyeballsStartsTheNextAttemptAtOnceWhenOneFails() {
        double[] elapsed = new double[1];
        String connectedTo = runScripted(Map.of("multi", List.of("127.0.0.2", "127.0.0.1")), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = listen();
            double t0 = loop.time();
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, "multi", port(server),
                    ConnectOptions.DEFAULT.withHappyEyeballsDelay(30));
            elapsed[0] = loop.time() - t0;
            String ip = peer(c).getAddress().getHostAddress();
            c.transport().close();
            server.close();
            server.closeClients();
            return ip;
        });
        assertEquals("127.0.0.1", connectedTo);
        assertTrue(elapsed[0] < 10, "did not wait for the 30 s delay: " + elapsed[0]);
    }

    @Test
    void happyEyeballsKeepsTheFirstAttemptThatConnects() {
        String connectedTo = runScripted(Map.of("multi", List.of("127.0.0.1", "127.0.0.4")), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = listen();
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, "multi", port(server),
                    ConnectOptions.DEFAULT.withHappyEyeballsDelay(0.25));
            String ip = peer(c).getAddress().getHostAddress();
            c.transport().close();
            server.close();
            server.closeClients();
            return ip;
        });
        assertEquals("127.0.0.1", connectedTo);
    }

    @Test
    void happyEyeballsFailingEverywhereReportsEveryAddress() {
        IOException e = assertThrows(IOException.class, () -> runScripted(
                Map.of("multi", List.of("127.0.0.2", "127.0.0.3")), () -> {
                    Server server = listen();
                    int port = port(server);
                    server.close();
                    return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "multi", port,
                            ConnectOptions.DEFAULT.withHappyEyeballsDelay(0.25));
                }));
        assertTrue(e.getMessage().contains("127.0.0.2:") && e.getMessage().contains("127.0.0.3:"), e.getMessage());
    }

    @Test
    void cancellingWhileResolvingLeavesNothingOpen() {
        runScripted(Map.of(), () -> null);
        long before = openDescriptors();
        runScripted(Map.of(), () -> {
            ScriptedLoop loop = (ScriptedLoop) Asyncio.getRunningLoop();
            Task<Connection<RecordingProtocol>> connecting = Asyncio.createTask(
                    () -> loop.createConnection(RecordingProtocol::new, "never.example", 80));
            while (loop.neverResolves == null) {
                Asyncio.sleep(0);
            }
            connecting.cancel();
            assertThrows(CancelledError.class, connecting::await);
            return null;
        });
        assertEquals(before, openDescriptors());
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class,
                () -> ConnectOptions.DEFAULT.withHappyEyeballsDelay(-1));
        assertTrue(delay.getMessage().contains("-1"), delay.getMessage());
        IllegalArgumentException interleave = assertThrows(IllegalArgumentException.class,
                () -> ConnectOptions.DEFAULT.withInterleave(-2));
        assertTrue(interleave.getMessage().contains("-2"), interleave.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.DEFAULT.withFamily(StandardProtocolFamily.UNIX));
        assertEquals(1, ConnectOptions.DEFAULT.withHappyEyeballsDelay(0.25).effectiveInterleave());
        assertEquals(0, ConnectOptions.DEFAULT.effectiveInterleave());
        assertEquals(3, ConnectOptions.DEFAULT.withInterleave(3).effectiveInterleave());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> NetTesting.run(
                () -> Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, "127.0.0.1", -5)));
        assertTrue(port.getMessage().contains("-5"), port.getMessage());
    }

    @Test
    void aConnectedSocketCanBeWrappedAndAnUnconnectedOneIsRejected() {
        NetTesting.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = listen();
            java.nio.channels.SocketChannel sock = java.nio.channels.SocketChannel.open(
                    new InetSocketAddress("127.0.0.1", port(server)));
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, sock);
            assertFalse(sock.isBlocking());
            assertEquals(List.of("made"), c.protocol().events);
            c.transport().close();
            try (java.nio.channels.SocketChannel unconnected = java.nio.channels.SocketChannel.open()) {
                assertThrows(IllegalArgumentException.class, () -> loop.createConnection(RecordingProtocol::new, unconnected));
            }
            server.close();
            server.closeClients();
            return null;
        });
    }
}
