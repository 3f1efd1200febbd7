package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final long MILLIS = 1_000_000;
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void windowsCountVerifiedRoundTripsWithLatencyAndCpu() throws Exception {
        try (ServerMain.EchoServer server = BlockingEchoServer.start(LOOPBACK)) {
            List<String[]> windows = drive(server.port(), 64, 5, 3, 2);
            assertEquals(2, windows.size());
            for (String[] w : windows) {
                long roundTrips = Long.parseLong(w[0]);
                assertTrue(roundTrips > 0, "round trips " + roundTrips);
                assertTrue(Long.parseLong(w[1]) >= 100 * MILLIS, "window length " + w[1]);
                assertTrue(Long.parseLong(w[2]) >= 0 && Long.parseLong(w[3]) >= 0, "server CPU " + w[2] + " " + w[3]);
                assertTrue(Long.parseLong(w[5]) > 0 && Long.parseLong(w[5]) <= Long.parseLong(w[6]), "p50 " + w[5] + " p99 " + w[6]);
            }
        }
    }

    @Test
    void messagesLargerThanOneReadArriveWhole() throws Exception {
        try (ServerMain.EchoServer server = BlockingEchoServer.start(LOOPBACK)) {
            List<String[]> windows = drive(server.port(), 4096, 0, 2, 1);
            assertTrue(Long.parseLong(windows.getFirst()[0]) > 0);
        }
    }

    @Test
    void anEchoThatDiffersFromTheMessageFailsTheRun() throws Exception {
        try (RawServer server = new RawServer(socket -> copy(socket, true))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> drive(server.port(), 64, 0, 1, 1));
            assertTrue(e.getCause().getMessage().startsWith("the echo differs from the message sent"), e.getMessage());
        }
    }

    @Test
    void aServerThatClosesAConnectionFailsTheRun() throws Exception {
        try (RawServer server = new RawServer(socket -> {
            try {
                socket.getInputStream().readNBytes(64);
                socket.close();
            } catch (IOException e) {
                // The test only needs the connection gone.
            }
        })) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> drive(server.port(), 64, 0, 1, 1));
            assertTrue(e.getCause().getMessage().contains("closed a connection"), e.getMessage());
        }
    }

    @Test
    void serversTakeTurnsInRotatingOrderAndOneFailureSparesTheOthers() throws Exception {
        try (ServerMain.EchoServer good = BlockingEchoServer.start(LOOPBACK);
                RawServer bad = new RawServer(socket -> copy(socket, true))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                LoadGenerator.driveInTurn(64, 2, 0, 20 * MILLIS, 10 * MILLIS, 50 * MILLIS, 3, 1,
                        List.of(good.port() + ":" + PID, bad.port() + ":" + PID), out);
            }
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            // Round 1: server 0 then 1 (which fails); rounds 2 and 3 start one place later, server 1 is skipped.
            assertEquals(List.of("window 0", "failed 1", "window 0", "window 0"),
                    lines.stream().map(l -> l.substring(0, l.indexOf(' ', l.indexOf(' ') + 1))).toList(), lines.toString());
            assertTrue(lines.get(1).contains("the echo differs"), lines.get(1));
        }
    }

    @Test
    void aMessageOfNoBytesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadGenerator(new InetSocketAddress("127.0.0.1", 1), 0));
        assertEquals("messageBytes must be at least 1: 0", e.getMessage());
    }

    /** Runs the generator against {@code port} for a 50 ms warm-up and 100 ms windows. */
    private static List<String[]> drive(int port, int size, int idle, int active, int windows) throws IOException {
        LoadGenerator generator = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), size);
        try {
            generator.openIdle(idle);
            return generator.run(active, PID, 50 * MILLIS, 100 * MILLIS, windows).stream().map(l -> l.split(" ")).toList();
        } finally {
            generator.close();
        }
    }

    private static void copy(Socket socket, boolean corrupt) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (corrupt) {
                    buffer[n - 1] ^= 1;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The generator resets its connections when it gives up.
        }
    }

    /** A server whose connections are handled by {@code handler}, one virtual thread each. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket();

        RawServer(Consumer<Socket> handler) throws IOException {
            listener.bind(LOOPBACK);
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread.ofVirtual().start(() -> handler.accept(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
