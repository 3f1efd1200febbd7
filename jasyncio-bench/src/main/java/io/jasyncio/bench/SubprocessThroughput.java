package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.subprocess.Stdio;
import io.jasyncio.subprocess.Subprocess;
import io.jasyncio.subprocess.SubprocessOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the throughput of round trips through {@code cat}: a task writes {@code mib} MiB to
 * the child's stdin in 64 KiB writes, each followed by {@code drain()}, while the main task reads
 * the child's stdout back with {@code read(64 KiB)}; every byte that comes back is counted and
 * checked against what was sent. Runs {@code rounds} rounds (the first ones warm the JIT up) and
 * prints MiB/s for each, then the best, next to the best of the same round trip done with blocking
 * {@link ProcessBuilder} streams and a writer thread (what the pipes themselves allow).
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED \
 *      -cp jasyncio-bench/target/jasyncio-benchmarks.jar io.jasyncio.bench.SubprocessThroughput [mib [rounds]]
 * </pre>
 * Add {@code -Djasyncio.backend=virtual} to measure the virtual-thread backend.
 */
public final class SubprocessThroughput {
    private static final int CHUNK = 64 * 1024;

    private SubprocessThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            chunk[i] = (byte) (i * 31 + 7);
        }
        double best = Asyncio.run(() -> {
            System.out.printf("backend: %s, %d MiB per round, java %s%n", EventLoop.running().backendName(), mib,
                    Runtime.version());
            double top = 0;
            for (int r = 1; r <= rounds; r++) {
                double rate = roundTrip(chunk, (long) mib << 20);
                System.out.printf("round %d: %.0f MiB/s%n", r, rate);
                top = Math.max(top, rate);
            }
            return top;
        });
        double baseline = 0;
        for (int r = 1; r <= rounds; r++) {
            baseline = Math.max(baseline, blockingRoundTrip(chunk, (long) mib << 20));
        }
        System.out.printf("best: %.0f MiB/s through cat (blocking java.lang.Process with two threads: %.0f MiB/s)%n",
                best, baseline);
    }

    /** One round: returns MiB/s. */
    private static double roundTrip(byte[] chunk, long total) throws Exception {
        Subprocess cat = Asyncio.createSubprocessExec(List.of("cat"),
                SubprocessOptions.PIPES.withStderr(Stdio.INHERIT));
        long t0 = System.nanoTime();
        Task<Void> writer = Asyncio.createTask(() -> {
            for (long sent = 0; sent < total; sent += chunk.length) {
                cat.stdin().write(chunk);
                cat.stdin().drain();
            }
            cat.stdin().close();
        });
        long received = 0;
        while (true) {
            byte[] got = cat.stdout().read(CHUNK);
            if (got.length == 0) {
                break;
            }
            check(chunk, got, got.length, received);
            received += got.length;
        }
        writer.await();
        if (cat.await() != 0 || received != total) {
            throw new AssertionError("cat returned " + cat.returncode() + " after " + received + " of " + total + " bytes");
        }
        return rate(received, t0);
    }

    /** The same round trip with {@link ProcessBuilder} and a writer thread: the floor of what pipes cost. */
    private static double blockingRoundTrip(byte[] chunk, long total) throws Exception {
        Process cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long t0 = System.nanoTime();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (OutputStream out = cat.getOutputStream()) {
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] buf = new byte[CHUNK];
        long received = 0;
        try (InputStream in = cat.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                check(chunk, buf, n, received);
                received += n;
            }
        }
        writer.join();
        if (cat.waitFor() != 0 || received != total) {
            throw new AssertionError("cat returned " + cat.exitValue() + " after " + received + " of " + total + " bytes");
        }
        return rate(received, t0);
    }

    /** Checks that {@code got[0, n)} is the pattern at stream offset {@code offset}. */
    private static void check(byte[] chunk, byte[] got, int n, long offset) {
        int at = (int) (offset % chunk.length);
        for (int from = 0; from < n; ) {
            int k = Math.min(n - from, chunk.length - at);
            if (!Arrays.equals(got, from, from + k, chunk, at, at + k)) {
                throw new AssertionError("the bytes from " + (offset + from) + " differ");
            }
            from += k;
            at = (at + k) % chunk.length;
        }
    }

    private static double rate(long bytes, long t0) {
        return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - t0) / 1e9);
    }
}
