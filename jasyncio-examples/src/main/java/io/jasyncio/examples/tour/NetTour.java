package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.examples.net.EchoClient;
import io.jasyncio.examples.net.EchoServer;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tour sections for networking: streams, transports and protocols, Unix sockets. */
public final class NetTour {
    private NetTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("TCP streams", NetTour::tcpStreams),
                new Section("Backpressure", NetTour::backpressure),
                new Section("Unix socket", NetTour::unixSocket));
    }

    private static int port(Server server) throws java.io.IOException {
        return ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
    }

    static String tcpStreams() {
        return Asyncio.run(() -> {
            Server server = EchoServer.start("127.0.0.1", 0);
            int port = port(server);
            long t0 = System.nanoTime();
            List<Task<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int id = i;
                clients.add(Asyncio.createTask(() -> {
                    StreamConnection c = Asyncio.openConnection("127.0.0.1", port);
                    int echoed = 0;
                    for (int n = 0; n < 100; n++) {
                        String line = "client " + id + " line " + n + "\n";
                        c.writer().write(line.getBytes());
                        c.writer().drain();
                        check(new String(c.reader().readline()).equals(line), "a line came back wrong");
                        echoed++;
                    }
                    c.writer().close();
                    c.writer().waitClosed();
                    return echoed;
                }));
            }
            int total = 0;
            for (Task<Integer> t : clients) {
                total += t.await();
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            check(EchoClient.talk("127.0.0.1", port, "bye").equals("bye"), "the example client failed");
            server.close();
            server.waitClosed();
            return String.format("100 concurrent clients, %d lines echoed by one loop in %.0f ms", total, ms);
        });
    }

    /** A protocol that sends {@code total} bytes as fast as its transport lets it, counting pauses. */
    private static final class Firehose implements Protocol {
        private final long total;
        private long sent;
        private Transport transport;
        private boolean paused;
        int pauses;

        Firehose(long total) {
            this.total = total;
        }

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
            pump();
        }

        @Override
        public void pauseWriting() {
            paused = true;
            pauses++;
        }

        @Override
        public void resumeWriting() {
            paused = false;
            pump();
        }

        private void pump() {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            while (!paused && sent < total) {
                block.clear();
                for (int i = 0; i < block.capacity(); i++) {
                    block.put(i, (byte) (sent + i));
                }
                transport.write(block);
                sent += block.capacity();
            }
            if (sent >= total && !paused) {
                transport.close();
            }
        }
    }

    static String backpressure() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            long total = 64L << 20;
            List<Firehose> made = new ArrayList<>();
            Server server = loop.createServer(() -> {
                Firehose f = new Firehose(total);
                made.add(f);
                return f;
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            Transport clientSide = (Transport) c.writer().transport();
            long got = 0;
            int readerPauses = 0;
            while (true) {
                byte[] data = c.reader().read(8 * 1024);
                if (data.length == 0) {
                    break;
                }
                for (int i = 0; i < data.length; i++) {
                    if (data[i] != (byte) (got + i)) {
                        throw new AssertionError("byte " + (got + i) + " is wrong");
                    }
                }
                got += data.length;
                if (!clientSide.isReading()) {
                    readerPauses++;
                }
                Asyncio.sleep(0);
            }
            check(got == total, "received " + got + " of " + total);
            check(made.get(0).pauses > 0, "the sender was never paused");
            c.writer().close();
            server.close();
            server.waitClosed();
            return String.format("64 MiB to a slow reader, every byte checked: sender paused %d times, "
                    + "reader's transport paused in %d reads", made.get(0).pauses, readerPauses);
        });
    }

    static String unixSocket() throws Exception {
        Path dir = Files.createTempDirectory("jasyncio-tour");
        Path path = dir.resolve("echo.sock");
        try {
            return Asyncio.run(() -> {
                Server server = Asyncio.startUnixServer((reader, writer) -> {
                    writer.write(reader.read());
                    writer.close();
                }, path);
                StreamConnection c = Asyncio.openUnixConnection(path);
                c.writer().write("over a Unix-domain socket".getBytes());
                c.writer().writeEof();
                String answer = new String(c.reader().read());
                check(answer.equals("over a Unix-domain socket"), "wrong answer: " + answer);
                c.writer().close();
                server.close();
                check(!Files.exists(path), "the socket file was not removed");
                return "echo through " + path.getFileName() + ", half-closed with writeEof; file removed on close";
            });
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }
}
