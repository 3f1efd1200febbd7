package io.jasyncio.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives an echo server with {@code connections} connections, each sending a {@code size}-byte
 * message and waiting for it to come back before sending the next: one round trip at a time per
 * connection. Plain NIO on one thread, independent of jasyncio, so it measures the server. Every
 * echoed byte is checked.
 */
public final class TcpLoadGenerator {

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        byte seq;

        Conn(SocketChannel channel, int size) {
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
        }

        void send() throws IOException {
            seq++;
            out.clear();
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) (seq + i));
            }
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        /** Reads what arrived; true when the whole echo is in and correct. */
        boolean receive() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a connection");
            }
            if (in.hasRemaining()) {
                return false;
            }
            for (int i = 0; i < in.capacity(); i++) {
                if (in.get(i) != (byte) (seq + i)) {
                    throw new IOException("echo differs at byte " + i);
                }
            }
            in.clear();
            return true;
        }
    }

    private TcpLoadGenerator() {
    }

    /**
     * What a run measured.
     *
     * @param roundTripsPerSecond round trips per second during the measured time
     * @param serverCpuMicrosPerRoundTrip the server process's CPU time (user and system) per round
     *     trip during the measured time, or NaN when it is not known
     * @param serverUserMicrosPerRoundTrip the user-space part of it (the server's own code, without
     *     the kernel's), or NaN when it is not known
     */
    public record Result(double roundTripsPerSecond, double serverCpuMicrosPerRoundTrip,
            double serverUserMicrosPerRoundTrip) {
    }

    /** The user and system CPU time of {@code server} in clock ticks (1/100 s), from /proc; null if unknown. */
    private static long[] cpuTicks(ProcessHandle server) {
        if (server == null) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final double MICROS_PER_TICK = 10_000;

    /**
     * Runs for {@code warmupSeconds}, then counts round trips for {@code seconds}, sampling the CPU
     * time of the {@code server} process (null: unknown) around the measured time.
     */
    public static Result run(String host, int port, int connections, int size, double warmupSeconds, double seconds,
            ProcessHandle server) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Conn> conns = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    Conn c = new Conn(ch, size);
                    conns.add(c);
                    ch.register(selector, SelectionKey.OP_READ, c);
                }
                for (Conn c : conns) {
                    c.send();
                }
                long start = System.nanoTime();
                long measureFrom = start + (long) (warmupSeconds * 1e9);
                long end = measureFrom + (long) (seconds * 1e9);
                long countAtMeasureFrom = -1;
                long count = 0;
                long[] cpuFrom = null;
                long[] cpuTo = null;
                long[] trips = {0};
                while (true) {
                    long now = System.nanoTime();
                    if (countAtMeasureFrom < 0 && now >= measureFrom) {
                        countAtMeasureFrom = trips[0];
                        cpuFrom = cpuTicks(server);
                    }
                    if (now >= end) {
                        count = trips[0] - countAtMeasureFrom;
                        cpuTo = cpuTicks(server);
                        break;
                    }
                    selector.select(key -> {
                        Conn c = (Conn) key.attachment();
                        try {
                            if (c.receive()) {
                                trips[0]++;
                                c.send();
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, 100);
                }
                double cpu = Double.NaN;
                double user = Double.NaN;
                if (cpuFrom != null && cpuTo != null && count > 0) {
                    user = (cpuTo[0] - cpuFrom[0]) * MICROS_PER_TICK / count;
                    cpu = user + (cpuTo[1] - cpuFrom[1]) * MICROS_PER_TICK / count;
                }
                return new Result(count / seconds, cpu, user);
            } finally {
                for (Conn c : conns) {
                    c.channel.close();
                }
            }
        }
    }

    /** {@code host port connections size warmupSeconds seconds}: prints round trips per second. */
    public static void main(String[] args) throws IOException {
        Result r = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Double.parseDouble(args[4]), Double.parseDouble(args[5]), null);
        System.out.printf("%.0f round trips/s%n", r.roundTripsPerSecond());
    }
}
