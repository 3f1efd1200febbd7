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
                assertEquals("window", w[0]);
                long roundTrips = Long.parseLong(w[1]);
                assertTrue(roundTrips > 0, "round trips " + roundTrips);
                assertTrue(Long.parseLong(w[2]) >= 100 * MILLIS, "window length " + w[2]);
                assertTrue(Long.parseLong(w[3]) >= 0 && Long.parseLong(w[4]) >= 0, "server CPU " + w[3] + " " + w[4]);
                assertTrue(Long.parseLong(w[6]) > 0 && Long.parseLong(w[6]) <= Long.parseLong(w[7]), "p50 " + w[6] + " p99 " + w[7]);
            }
        }
    }

    @Test
    void messagesLargerThanOneReadArriveWhole() throws Exception {
        try (ServerMain.EchoServer server = BlockingEchoServer.start(LOOPBACK)) {
            List<String[]> windows = drive(server.port(), 4096, 0, 2, 1);
            assertTrue(Long.parseLong(windows.getFirst()[1]) > 0);
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
    void aMessageOfNoBytesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadGenerator(new InetSocketAddress("127.0.0.1", 1), 0));
        assertEquals("messageBytes must be at least 1: 0", e.getMessage());
    }

    /** Runs the generator against {@code port} for a 50 ms warm-up and 100 ms windows. */
    private static List<String[]> drive(int port, int size, int idle, int active, int windows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), size);
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            generator.openIdle(idle);
            generator.run(active, PID, 50 * MILLIS, 100 * MILLIS, windows, out);
        } finally {
            generator.close();
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")).toList();
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
