package io.jasyncio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away redis-server on loopback for the documentation's Redis example: no persistence,
 * its own temporary directory, stopped when closed. {@code ./run test} installs Debian's
 * redis-server when the machine lacks it; a plain {@code mvn test} without one skips the block
 * and says why.
 */
final class RedisPeer implements DocSnippetsTest.Peer {
    private static final List<String> SEARCH = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin");
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisPeer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisPeer start() throws IOException, InterruptedException {
        Optional<Path> server = findServer();
        Assumptions.assumeTrue(server.isPresent(),
                "redis-server is not installed (./run test installs Debian's redis-server); the Redis example was not run");
        // A free port can be taken by someone else between the probe and redis's bind: try a few.
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir = Files.createTempDirectory("jasyncio-redis");
            int port = freePort();
            Process p;
            try {
                p = new ProcessBuilder(server.get().toString(),
                        "--bind", "127.0.0.1", "--port", Integer.toString(port),
                        "--save", "", "--appendonly", "no", "--dir", dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
            } catch (IOException | RuntimeException e) {
                deleteTree(dir);
                throw e;
            }
            RedisPeer peer = new RedisPeer(p, port, dir);
            try {
                peer.awaitReady();
                return peer;
            } catch (IOException e) {
                peer.close();
                last = e;
            } catch (InterruptedException | RuntimeException | Error e) {
                peer.close();
                throw e;
            }
        }
        throw last;
    }

    private static Optional<Path> findServer() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), SEARCH.stream())
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Polls with PING until the server answers PONG, the process dies, or the deadline passes. */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " before answering: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: the loop checks liveness and the deadline, then tries again.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server on port " + port + " did not answer PING within 15 s: " + log());
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String placeholderPort() {
        return "6379";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
