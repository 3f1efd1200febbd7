package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jasyncio's TLS against a peer nobody here wrote: OpenSSL's {@code s_server} and
 * {@code s_client} (Debian's {@code openssl} package, installed with apt-get when missing; the
 * tests are skipped, saying why, only when it cannot be installed).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsOpensslTest {
    private static final long WAIT_MILLIS = 30_000;
    private static String openssl;

    @BeforeAll
    static void findOrInstallOpenssl() throws Exception {
        openssl = onPath("openssl");
        String reason = "openssl is not on the PATH";
        if (openssl == null) {
            String aptGet = onPath("apt-get");
            if (aptGet == null) {
                reason += " and there is no apt-get to install it";
            } else {
                Process p = new ProcessBuilder(aptGet, "install", "-y", "openssl").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean done = p.waitFor(10, TimeUnit.MINUTES);
                openssl = onPath("openssl");
                if (openssl == null) {
                    reason += " and 'apt-get install -y openssl' failed" + (done ? " (exit " + p.exitValue() + ")" : "")
                            + ": " + out.strip();
                }
            }
        }
        assumeTrue(openssl != null, reason);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** An openssl process whose output (standard output and error, merged) is collected line by line. */
    private static final class Peer implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final List<String> lines = new ArrayList<>();
        private final Thread collector;

        private Peer(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            stdin = process.getOutputStream();
            collector = Thread.ofPlatform().daemon().name("openssl-output").start(this::collect);
        }

        static Peer start(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(openssl);
            command.addAll(List.of(args));
            return new Peer(command);
        }

        private void collect() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException gone) {
                // The process ended.
            }
        }

        /** Blocks until a line matching {@code p} was printed; returns it. */
        String awaitLine(Predicate<String> p) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            synchronized (lines) {
                while (true) {
                    for (String l : lines) {
                        if (p.test(l)) {
                            return l;
                        }
                    }
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new AssertionError("openssl never printed the expected line; it printed:\n" + output());
                    }
                    lines.wait(left);
                }
            }
        }

        /** How many lines printed so far match {@code p}. */
        long count(Predicate<String> p) {
            synchronized (lines) {
                return lines.stream().filter(p).count();
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** The port {@code s_server -accept 127.0.0.1:0} printed. */
        int acceptPort() throws InterruptedException {
            String l = awaitLine(x -> x.startsWith("ACCEPT "));
            return Integer.parseInt(l.substring(l.lastIndexOf(':') + 1).trim());
        }

        void send(String text) {
            try {
                stdin.write(text.getBytes(US_ASCII));
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for the process to exit and for its last lines to be collected; returns its status. */
        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "openssl did not exit:\n" + output());
            // The exit can be seen before the collector has read the last lines from the pipe.
            collector.join(WAIT_MILLIS);
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static Peer server(String... extra) throws IOException {
        TlsTesting.Material m = TlsTesting.material();
        List<String> args = new ArrayList<>(List.of("s_server", "-accept", "127.0.0.1:0", "-cert", m.certPem().toString(),
                "-key", m.keyPem().toString(), "-naccept", "1"));
        args.addAll(List.of(extra));
        return Peer.start(args.toArray(new String[0]));
    }

    private static Peer client(int port, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
                TlsTesting.material().certPem().toString(), "-servername", "localhost", "-verify_return_error"));
        args.addAll(List.of(extra));
        return Peer.start(args.toArray(new String[0]));
    }

    /** A jasyncio TLS server answering each line with "echo: " and the line, until end of stream. */
    private static Server echoServer(TlsOptions options) throws IOException {
        return Asyncio.startServer((reader, writer) -> {
            byte[] line;
            while ((line = reader.readline()).length > 0) {
                writer.write(b("echo: " + s(line)));
            }
            writer.close();
        }, "127.0.0.1", 0, options);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void jasyncioClientTalksToOpensslServerAndClosesWithCloseNotify(String version) throws Exception {
        try (Peer server = server("-rev", version)) {
            int port = server.acceptPort();
            double closeSeconds = run(() -> {
                StreamConnection c = Asyncio.openConnection("127.0.0.1", port,
                        TlsTesting.clientOptions().withSslShutdownTimeout(20));
                assertEquals(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2", c.writer().getExtraInfo("tls_version"));
                assertEquals(TlsTesting.material().certificate(), c.writer().getExtraInfo("peercert"));
                c.writer().write(b("hello jasyncio\n"));
                assertEquals("oicnysaj olleh\n", s(c.reader().readline()));
                long t0 = System.nanoTime();
                c.writer().close();
                c.writer().waitClosed();
                return (System.nanoTime() - t0) / 1e9;
            });
            assertTrue(closeSeconds < 10, "OpenSSL answered close_notify at once, not after the timeout: " + closeSeconds);
            assertEquals(0, server.awaitExit(), server.output());
            server.awaitLine(l -> l.equals("CONNECTION CLOSED"));
        }
    }

    @Test
    void jasyncioClientRejectsOpensslServerUnderAnotherName() throws Exception {
        try (Peer server = server("-rev")) {
            int port = server.acceptPort();
            SSLHandshakeException e = run(() -> assertThrows(SSLHandshakeException.class,
                    () -> Asyncio.openConnection("127.0.0.1", port, TlsTesting.clientOptions().withServerHostname("wrong.example"))));
            assertTrue(e.getMessage().contains("wrong.example"), e.getMessage());
            server.awaitLine(l -> l.contains("alert") || l.contains("ERROR"));
        }
    }

    @Test
    void jasyncioClientNegotiatesAlpnWithOpensslServer() throws Exception {
        try (Peer server = server("-rev", "-alpn", "h2,http/1.1")) {
            int port = server.acceptPort();
            String selected = run(() -> {
                StreamConnection c = Asyncio.openConnection("127.0.0.1", port,
                        TlsTesting.clientOptions().withAlpnProtocols("http/1.1"));
                Object alpn = c.writer().getExtraInfo("alpn_protocol");
                c.writer().close();
                c.writer().waitClosed();
                return (String) alpn;
            });
            assertEquals("http/1.1", selected);
        }
    }

    @Test
    void jasyncioClientFollowsARenegotiationStartedByOpensslServer() throws Exception {
        try (Peer server = server("-tls1_2")) {
            int port = server.acceptPort();
            run(() -> {
                StreamConnection c = Asyncio.openConnection("127.0.0.1", port, TlsTesting.clientOptions());
                c.writer().write(b("ping\n"));
                Asyncio.toThread(() -> server.awaitLine("ping"::equals));
                // s_server reads its commands one input line at a time: wait for each to be taken.
                server.send("r\n");
                Asyncio.toThread(() -> server.awaitLine(l -> l.startsWith("SSL_do_handshake -> ")));
                // The HelloRequest reached the client, which renegotiates while it reads.
                server.send("pong\n");
                assertEquals("pong\n", s(c.reader().readline()));
                c.writer().write(b("after\n"));
                Asyncio.toThread(() -> server.awaitLine("after"::equals));
                c.writer().close();
                c.writer().waitClosed();
                return null;
            });
            server.awaitExit();
            // Two handshakes completed on this one connection: the first and the renegotiation.
            assertEquals(1, server.count(l -> l.trim().equals("2 server accepts that finished")), server.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void opensslClientTalksToJasyncioServer(String version) throws Exception {
        run(() -> {
            Server server = echoServer(TlsTesting.serverOptions().withAlpnProtocols("h2", "http/1.1"));
            try (Peer client = client(port(server), version, "-alpn", "http/1.1")) {
                client.send("hello\n");
                Asyncio.toThread(() -> client.awaitLine("echo: hello"::equals));
                client.send("Q\n");
                assertEquals(0, (int) Asyncio.toThread(client::awaitExit), client.output());
                assertTrue(client.output().contains("Verify return code: 0 (ok)"), client.output());
                assertTrue(client.output().contains("ALPN protocol: http/1.1"), client.output());
                assertTrue(client.output().contains(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2"), client.output());
            }
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void keyUpdateRequestedByOpensslIsAnsweredByTheJdk() throws Exception {
        run(() -> {
            Server server = echoServer(TlsTesting.serverOptions());
            try (Peer client = client(port(server), "-tls1_3", "-msg")) {
                client.send("hello\n");
                Asyncio.toThread(() -> client.awaitLine("echo: hello"::equals));
                // "K": a KeyUpdate asking the server to update its keys too.
                client.send("K\n");
                Asyncio.toThread(() -> client.awaitLine(l -> l.startsWith("<<< TLS 1.3") && l.endsWith("KeyUpdate")));
                client.send("after\n");
                Asyncio.toThread(() -> client.awaitLine("echo: after"::equals));
                assertEquals(1, client.count(l -> l.startsWith(">>> TLS 1.3") && l.endsWith("KeyUpdate")));
                client.send("Q\n");
                Asyncio.toThread(client::awaitExit);
            }
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void renegotiationRequestedByOpensslIsHandledByTheJdk() throws Exception {
        run(() -> {
            Server server = echoServer(TlsTesting.serverOptions());
            try (Peer client = client(port(server), "-tls1_2", "-msg")) {
                client.send("hello\n");
                Asyncio.toThread(() -> client.awaitLine("echo: hello"::equals));
                client.send("R\n");
                Asyncio.toThread(() -> client.awaitLine("RENEGOTIATING"::equals));
                client.send("after\n");
                Asyncio.toThread(() -> client.awaitLine("echo: after"::equals));
                assertEquals(2, client.count(l -> l.startsWith("<<< TLS 1.2") && l.endsWith("ServerHello")), client.output());
                client.send("Q\n");
                Asyncio.toThread(client::awaitExit);
            }
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void opensslClientKilledWithoutCloseNotifyEndsTheServersStreamWithoutHanging() throws Exception {
        Object outcome = run(() -> {
            Future<Object> ended = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(b("echo: " + s(reader.readline())));
                try {
                    byte[] rest = reader.read();
                    ended.setResult(rest.length == 0 ? "eof" : "data");
                } catch (IOException e) {
                    ended.setResult(e);
                }
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            try (Peer client = client(port(server), "-quiet")) {
                client.send("hello\n");
                Asyncio.toThread(() -> client.awaitLine("echo: hello"::equals));
                Asyncio.toThread(() -> {
                    client.kill();
                    return null;
                });
            }
            Object r = ended.await();
            server.close();
            server.waitClosed();
            return r;
        });
        // The kernel closes the killed process's socket with a FIN, or with a reset if it had
        // unread data: either ends the stream, as end of file or as an I/O error.
        assertTrue("eof".equals(outcome) || outcome instanceof IOException, String.valueOf(outcome));
    }
}
