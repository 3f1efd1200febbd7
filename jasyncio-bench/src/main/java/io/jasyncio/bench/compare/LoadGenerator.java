package io.jasyncio.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one load generator that drives every echo server of the comparison, in its own process:
 * {@code LoadGenerator <messageBytes> <active> <idle> <warmupSeconds> <rewarmSeconds> <windowSeconds>
 * <rounds> <windowsPerRound> <port>:<serverPid>...}.
 *
 * <p>It drives the servers one at a time, in rounds: in each round every server gets its turn
 * (the first server of the round moves one place each round), so that a burst of load from other
 * processes on a shared machine falls on several servers instead of all the samples of one.
 * A turn first opens {@code idle} connections and proves each is served with a one-byte echo,
 * then leaves them idle; then it opens {@code active} connections, each keeping exactly one
 * message of {@code messageBytes} in flight (closed loop: send, read the whole echo back, check
 * every byte, send the next). One thread, one NIO selector. After the warm-up ({@code warmupSeconds}
 * on a server's first turn, while its code gets compiled; {@code rewarmSeconds} on later turns,
 * enough for the new connections to settle) it prints, per
 * window, {@code window <server> <roundTrips> <nanos> <serverUserCpuNanos> <serverKernelCpuNanos>
 * <clientCpuNanos> <p50Nanos> <p99Nanos>}, where {@code <server>} is the server's index in the
 * arguments. Then it closes the turn's connections with a reset (SO_LINGER 0), so that no
 * TIME_WAIT state piles up.
 *
 * <p>A server that fails its turn (refused connection, wrong echo, closed connection, silent for
 * {@value #STALL_SECONDS} s) gets {@code failed <server> <reason>} and no further turns; the
 * others go on.
 */
public final class LoadGenerator {
    /** Connections opened and verified together while building the idle set. */
    private static final int CONNECT_BATCH = 100;
    private static final long STALL_SECONDS = 10;
    private static final long SECOND = 1_000_000_000L;
    private static final ProcCpu CPU = ProcCpu.forThisMachine();

    private final InetSocketAddress server;
    private final int messageBytes;
    private final Selector selector;
    private final List<SocketChannel> opened = new ArrayList<>();
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private long roundTrips;
    private boolean recording;

    LoadGenerator(InetSocketAddress server, int messageBytes) throws IOException {
        if (messageBytes < 1) {
            throw new IllegalArgumentException("messageBytes must be at least 1: " + messageBytes);
        }
        this.server = server;
        this.messageBytes = messageBytes;
        this.selector = Selector.open();
    }

    /** Drives the servers named in {@code args} as the class comment says; exits with status 2 on bad usage. */
    public static void main(String[] args) {
        if (args.length < 9) {
            System.err.println("usage: LoadGenerator <messageBytes> <active> <idle> <warmupSeconds> <rewarmSeconds> "
                    + "<windowSeconds> <rounds> <windowsPerRound> <port>:<serverPid>...");
            System.exit(2);
        }
        driveInTurn(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), seconds(args[3]),
                seconds(args[4]), seconds(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                List.of(args).subList(8, args.length), System.out);
        System.exit(0);
    }

    /**
     * Gives every target ({@code <port>:<serverPid>}) its turns, printing to {@code out} as the
     * class comment says.
     */
    static void driveInTurn(int size, int active, int idle, long warmupNanos, long rewarmNanos, long windowNanos, int rounds,
            int windowsPerRound, List<String> targets, PrintStream out) {
        boolean[] failed = new boolean[targets.size()];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < targets.size(); k++) {
                int i = (round + k) % targets.size();
                if (failed[i]) {
                    continue;
                }
                String[] target = targets.get(i).split(":");
                try {
                    LoadGenerator g = new LoadGenerator(new InetSocketAddress("127.0.0.1", Integer.parseInt(target[0])), size);
                    try {
                        g.openIdle(idle);
                        long warm = round == 0 ? warmupNanos : rewarmNanos;
                        for (String line : g.run(active, Long.parseLong(target[1]), warm, windowNanos, windowsPerRound)) {
                            out.println("window " + i + " " + line);
                        }
                    } finally {
                        g.close();
                    }
                } catch (IOException | RuntimeException e) {
                    failed[i] = true;
                    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                    out.println("failed " + i + " " + String.valueOf(cause.getMessage()).replace('\n', ' '));
                }
            }
        }
    }

    private static long seconds(String s) {
        return (long) (Double.parseDouble(s) * SECOND);
    }

    /** Opens {@code count} connections, checks each with a one-byte echo, and leaves them open and unwatched. */
    void openIdle(int count) throws IOException {
        ByteBuffer ping = ByteBuffer.allocateDirect(1);
        ByteBuffer pong = ByteBuffer.allocateDirect(1);
        try (Selector verify = Selector.open()) {
            for (int done = 0; done < count; done += CONNECT_BATCH) {
                int batch = Math.min(CONNECT_BATCH, count - done);
                for (int i = 0; i < batch; i++) {
                    SocketChannel ch = connect();
                    ping.clear().put(0, (byte) i);
                    if (ch.write(ping) != 1) {
                        throw new IOException("could not send the one-byte check on a fresh connection");
                    }
                    ch.register(verify, SelectionKey.OP_READ);
                }
                int pending = batch;
                long deadline = System.nanoTime() + STALL_SECONDS * SECOND;
                while (pending > 0) {
                    if (verify.select(100) == 0 && System.nanoTime() > deadline) {
                        throw new IOException("the server did not echo on " + pending + " of " + batch
                                + " new idle connections within " + STALL_SECONDS + " s (after " + done + " verified)");
                    }
                    for (SelectionKey key : verify.selectedKeys()) {
                        pong.clear();
                        int n = ((SocketChannel) key.channel()).read(pong);
                        if (n < 0) {
                            throw new IOException("the server closed an idle connection after " + done + " were verified");
                        }
                        if (n == 1) {
                            key.cancel();
                            pending--;
                        }
                    }
                    verify.selectedKeys().clear();
                }
                verify.selectNow();
            }
        }
    }

    /**
     * Drives {@code active} connections for the warm-up then {@code windows} windows, and returns
     * one line per window: {@code <roundTrips> <nanos> <serverUserCpuNanos> <serverKernelCpuNanos>
     * <clientCpuNanos> <p50Nanos> <p99Nanos>}.
     */
    List<String> run(int active, long serverPid, long warmupNanos, long windowNanos, int windows) throws IOException {
        List<String> lines = new ArrayList<>();
        long selfPid = ProcessHandle.current().pid();
        for (int i = 0; i < active; i++) {
            SocketChannel ch = connect();
            Connection c = new Connection(ch, messageBytes, i);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        }
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            ((Connection) key.attachment()).send(now);
        }
        long phaseEnd = now + warmupNanos;
        long phaseStart = now;
        ProcCpu.Usage serverCpuStart = null;
        ProcCpu.Usage clientCpuStart = null;
        int window = -1;
        long lastProgress = now;
        long lastCount = 0;
        while (window < windows) {
            selector.select(this::onReady, 10);
            now = System.nanoTime();
            if (roundTrips != lastCount) {
                lastCount = roundTrips;
                lastProgress = now;
            } else if (now - lastProgress > STALL_SECONDS * SECOND) {
                throw new IOException("no echo for " + STALL_SECONDS + " s: the server stalled");
            }
            if (now < phaseEnd) {
                continue;
            }
            ProcCpu.Usage serverCpu = CPU.usage(serverPid);
            ProcCpu.Usage clientCpu = CPU.usage(selfPid);
            if (window >= 0) {
                lines.add(windowLine(now - phaseStart, serverCpu.since(serverCpuStart), clientCpu.since(clientCpuStart)));
            }
            window++;
            recording = true;
            roundTrips = 0;
            lastCount = 0;
            latencyCount = 0;
            serverCpuStart = serverCpu;
            clientCpuStart = clientCpu;
            phaseStart = now;
            phaseEnd = now + windowNanos;
        }
        return lines;
    }

    private String windowLine(long nanos, ProcCpu.Usage server, ProcCpu.Usage client) {
        long p50 = 0;
        long p99 = 0;
        if (latencyCount > 0) {
            Arrays.sort(latencies, 0, latencyCount);
            p50 = Stats.percentile(latencies, latencyCount, 50);
            p99 = Stats.percentile(latencies, latencyCount, 99);
        }
        return roundTrips + " " + nanos + " " + server.userNanos() + " " + server.systemNanos() + " "
                + client.totalNanos() + " " + p50 + " " + p99;
    }

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isReadable() && c.receive()) {
                long now = System.nanoTime();
                roundTrips++;
                if (recording) {
                    record(now - c.sentAt);
                }
                c.send(now);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(long latency) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = latency;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(server);
        opened.add(ch);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        ch.configureBlocking(false);
        return ch;
    }

    void close() throws IOException {
        selector.close();
        for (SocketChannel ch : opened) {
            ch.close();
        }
    }

    /** One active connection with its message in flight. */
    private static final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer out;
        private final ByteBuffer in;
        /** The whole message, to compare the echo with; shares {@link #out}'s content. */
        private final ByteBuffer expected;
        private long sequence;
        SelectionKey key;
        long sentAt;

        Connection(SocketChannel channel, int size, int id) {
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) (id + i));
            }
            this.expected = out.duplicate();
            this.sequence = (long) id << 32;
        }

        /** Sends the next message, stamped with a new sequence number so a stale echo cannot pass. */
        void send(long now) throws IOException {
            sentAt = now;
            sequence++;
            out.clear();
            if (out.capacity() >= Long.BYTES) {
                out.putLong(0, sequence);
            }
            flush();
        }

        void flush() throws IOException {
            channel.write(out);
            int wanted = out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != wanted) {
                key.interestOps(wanted);
            }
        }

        /** Reads what has arrived; true once the whole echo is in and matches what was sent. */
        boolean receive() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a connection with a message in flight");
            }
            if (in.hasRemaining()) {
                return false;
            }
            in.flip();
            expected.clear();
            if (in.mismatch(expected) >= 0) {
                throw new IOException("the echo differs from the message sent (sequence " + sequence + ")");
            }
            in.clear();
            return true;
        }
    }
}
