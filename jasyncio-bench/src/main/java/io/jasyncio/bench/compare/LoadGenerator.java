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
 * {@code LoadGenerator <port> <serverPid> <active> <idle> <messageBytes> <warmupSeconds> <windowSeconds> <windows>}.
 *
 * <p>It first opens {@code idle} connections and proves each is served with a one-byte echo, then
 * leaves them idle; then it opens {@code active} connections, each keeping exactly one message of
 * {@code messageBytes} in flight (closed loop: send, read the whole echo back, check every byte,
 * send the next). One thread, one NIO selector. After the warm-up it prints, per window,
 * {@code window <roundTrips> <nanos> <serverUserCpuNanos> <serverKernelCpuNanos> <clientCpuNanos> <p50Nanos> <p99Nanos>}.
 * Connections are closed with a reset (SO_LINGER 0) so that no TIME_WAIT state piles up
 * between runs. Any failure (refused connection, wrong echo, server silent for
 * {@value #STALL_SECONDS} s) ends the process with a message on stderr and exit status 1.
 */
public final class LoadGenerator {
    /** Connections opened and verified together while building the idle set. */
    private static final int CONNECT_BATCH = 100;
    private static final long STALL_SECONDS = 10;
    private static final long SECOND = 1_000_000_000L;

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

    public static void main(String[] args) {
        if (args.length != 8) {
            System.err.println("usage: LoadGenerator <port> <serverPid> <active> <idle> <messageBytes> "
                    + "<warmupSeconds> <windowSeconds> <windows>");
            System.exit(2);
        }
        try {
            int port = Integer.parseInt(args[0]);
            long serverPid = Long.parseLong(args[1]);
            LoadGenerator generator = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), Integer.parseInt(args[4]));
            try {
                long start = System.nanoTime();
                generator.openIdle(Integer.parseInt(args[3]));
                System.out.println("connected " + args[3] + " " + (System.nanoTime() - start));
                generator.run(Integer.parseInt(args[2]), serverPid, seconds(args[5]), seconds(args[6]), Integer.parseInt(args[7]),
                        System.out);
            } finally {
                generator.close();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("load generator failed: " + e);
            System.exit(1);
        }
        System.exit(0);
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
     * Drives {@code active} connections for the warm-up then {@code windows} windows, printing one
     * line per window to {@code out}.
     */
    void run(int active, long serverPid, long warmupNanos, long windowNanos, int windows, PrintStream out) throws IOException {
        ProcCpu cpu = ProcCpu.forThisMachine();
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
            ProcCpu.Usage serverCpu = cpu.usage(serverPid);
            ProcCpu.Usage clientCpu = cpu.usage(selfPid);
            if (window >= 0) {
                out.println(windowLine(now - phaseStart, serverCpu.since(serverCpuStart), clientCpu.since(clientCpuStart)));
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
    }

    private String windowLine(long nanos, ProcCpu.Usage server, ProcCpu.Usage client) {
        long p50 = 0;
        long p99 = 0;
        if (latencyCount > 0) {
            Arrays.sort(latencies, 0, latencyCount);
            p50 = Stats.percentile(latencies, latencyCount, 50);
            p99 = Stats.percentile(latencies, latencyCount, 99);
        }
        return "window " + roundTrips + " " + nanos + " " + server.userNanos() + " " + server.systemNanos() + " "
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
