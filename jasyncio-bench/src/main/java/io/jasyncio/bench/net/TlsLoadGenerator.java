package io.jasyncio.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Drives a TLS echo server with the JDK's blocking {@link SSLSocket}s, one virtual thread per
 * connection (two for bulk transfers), independent of jasyncio so that it measures the server.
 * Every echoed byte is checked. Three loads:
 * <ul>
 * <li>round trips: each connection sends a small message and waits for its echo before the next;</li>
 * <li>bulk: each connection streams large chunks while reading the echo back;</li>
 * <li>handshakes: each thread opens a connection, completes a full handshake (its session is
 * invalidated, so none is resumed) and closes it, again and again.</li>
 * </ul>
 */
public final class TlsLoadGenerator {

    private TlsLoadGenerator() {
    }

    /**
     * What a run measured.
     *
     * @param perSecond operations per second during the measured time: round trips, echoed bytes,
     *     or handshakes
     * @param serverCpuMicros the server process's CPU time (user and system) per operation in
     *     microseconds, or NaN when it is not known
     */
    public record Result(double perSecond, double serverCpuMicros) {
    }

    /** The shared state of the load threads of one measurement. */
    private static final class Run {
        final AtomicLong done = new AtomicLong();
        private final SSLContext client;
        private final InetSocketAddress address;
        private final List<Socket> open = new ArrayList<>();
        private volatile boolean stopped;

        Run(SSLContext client, String host, int port) {
            this.client = client;
            this.address = new InetSocketAddress(host, port);
        }

        /** A connected socket whose handshake is done, closed by {@link #stop()} at the latest. */
        SSLSocket connect() throws IOException {
            SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
            synchronized (open) {
                if (stopped) {
                    s.close();
                    throw new IOException("stopped");
                }
                open.add(s);
            }
            s.setTcpNoDelay(true);
            s.connect(address);
            s.startHandshake();
            return s;
        }

        void closed(Socket s) {
            synchronized (open) {
                open.remove(s);
            }
        }

        boolean stopped() {
            return stopped;
        }

        /** Ends the load: every socket is closed, so blocked threads wake with an error. */
        void stop() throws IOException {
            synchronized (open) {
                stopped = true;
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /** The loop of one load thread. */
    private interface Load {
        void run(Run run) throws IOException;
    }

    private static long cpuNanos(ProcessHandle server) {
        return server == null ? -1
                : server.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /**
     * Runs {@code threads} copies of {@code load} for {@code warmupSeconds}, then counts their
     * operations for {@code seconds}, then stops them.
     */
    private static Result measure(Run run, int threads, Load load, double warmupSeconds, double seconds,
            ProcessHandle server) throws IOException, InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            running.add(Thread.ofVirtual().start(() -> {
                try {
                    load.run(run);
                } catch (IOException | RuntimeException e) {
                    if (!run.stopped()) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        long n0 = run.done.get();
        long cpu0 = cpuNanos(server);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long n1 = run.done.get();
        long cpu1 = cpuNanos(server);
        long t1 = System.nanoTime();
        run.stop();
        for (Thread t : running) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IOException("the load failed", failure.get());
        }
        long count = n1 - n0;
        double cpu = cpu0 < 0 || cpu1 < 0 || count == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / count;
        return new Result(count / ((t1 - t0) / 1e9), cpu);
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int got = 0;
        while (got < b.length) {
            int n = in.read(b, got, b.length - got);
            if (n < 0) {
                throw new IOException("the server closed a connection");
            }
            got += n;
        }
    }

    /** {@code connections} connections, each doing round trips of {@code size}-byte messages. */
    public static Result roundTrips(SSLContext client, String host, int port, int connections, int size,
            double warmupSeconds, double seconds, ProcessHandle server) throws IOException, InterruptedException {
        return measure(new Run(client, host, port), connections, run -> {
            try (SSLSocket s = run.connect()) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] msg = new byte[size];
                byte[] echo = new byte[size];
                for (byte seq = 0; ; seq++) {
                    for (int i = 0; i < size; i++) {
                        msg[i] = (byte) (seq + i);
                    }
                    out.write(msg);
                    out.flush();
                    readFully(in, echo);
                    if (!Arrays.equals(msg, echo)) {
                        throw new IOException("echo differs");
                    }
                    run.done.incrementAndGet();
                }
            }
        }, warmupSeconds, seconds, server);
    }

    /** {@code connections} connections, each streaming {@code chunk}-byte writes and reading the echo; counts bytes. */
    public static Result bulk(SSLContext client, String host, int port, int connections, int chunk, double warmupSeconds,
            double seconds, ProcessHandle server) throws IOException, InterruptedException {
        return measure(new Run(client, host, port), connections, run -> {
            try (SSLSocket s = run.connect()) {
                OutputStream out = s.getOutputStream();
                Thread writer = Thread.ofVirtual().start(() -> {
                    byte[] b = new byte[chunk];
                    try {
                        for (long sent = 0; ; sent += chunk) {
                            for (int i = 0; i < chunk; i++) {
                                b[i] = pattern(sent + i);
                            }
                            out.write(b);
                        }
                    } catch (IOException stopped) {
                        // The reader or the end of the measurement closed the socket.
                    }
                });
                try {
                    InputStream in = s.getInputStream();
                    byte[] b = new byte[64 * 1024];
                    for (long got = 0; ; ) {
                        int n = in.read(b);
                        if (n < 0) {
                            throw new IOException("the server closed a connection");
                        }
                        for (int i = 0; i < n; i++) {
                            if (b[i] != pattern(got + i)) {
                                throw new IOException("echo differs at byte " + (got + i));
                            }
                        }
                        got += n;
                        run.done.addAndGet(n);
                    }
                } finally {
                    s.close();
                    writer.join();
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }, warmupSeconds, seconds, server);
    }

    /** {@code threads} threads, each opening, handshaking and closing connections one after another. */
    public static Result handshakes(SSLContext client, String host, int port, int threads, double warmupSeconds,
            double seconds, ProcessHandle server) throws IOException, InterruptedException {
        return measure(new Run(client, host, port), threads, run -> {
            while (!run.stopped()) {
                SSLSocket s = run.connect();
                // A full handshake every time: this session is never offered for resumption.
                s.getSession().invalidate();
                s.close();
                run.closed(s);
                run.done.incrementAndGet();
            }
        }, warmupSeconds, seconds, server);
    }

    /** Byte {@code i} of a bulk stream. */
    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }
}
