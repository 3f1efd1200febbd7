package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures the two candidates for the loop's default executor (docs/PERFORMANCE.md, "Threads"):
 * a virtual thread per call, and a bounded platform pool of asyncio's size, min(32, cpus + 4).
 * Each round runs, per candidate, on a fresh real-clock loop:
 * <ul>
 *   <li>noop: 10,000 sequential {@code toThread} calls of a no-op (microseconds per round trip);</li>
 *   <li>sleep: 10,000 concurrent {@code toThread} calls that each block 1 ms in {@code Thread.sleep};</li>
 *   <li>cpu: 10,000 concurrent {@code toThread} calls that each spin the CPU for 50 µs;</li>
 *   <li>lag: the worst lateness of a task doing {@code sleep(0.001)} while 8 calls spin 100 ms each.</li>
 * </ul>
 * Prints the median of the rounds. Usage: {@code java ... ExecutorChoice [rounds]}; the backend is
 * chosen with {@code -Djasyncio.backend}.
 */
public final class ExecutorChoice {
    private static final int CALLS = 10_000;

    private ExecutorChoice() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int poolSize = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        Map<String, Supplier<ExecutorService>> candidates = new LinkedHashMap<>();
        candidates.put("virtual thread per call", () -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()));
        candidates.put("platform pool of " + poolSize, () -> new ThreadPoolExecutor(poolSize, poolSize, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>()));
        String[] workloads = {"noop us/call", "sleep 1ms: calls/s", "cpu 50us: calls/s", "lag ms (max)"};
        Map<String, double[][]> results = new LinkedHashMap<>();
        for (String name : candidates.keySet()) {
            results.put(name, new double[workloads.length][rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Supplier<ExecutorService>> c : candidates.entrySet()) {
                double[] one = runRound(c.getValue().get());
                for (int w = 0; w < workloads.length; w++) {
                    results.get(c.getKey())[w][r] = one[w];
                }
            }
        }
        System.out.printf("backend=%s cpus=%d rounds=%d (median)%n", EventLoop.newEventLoop().backendName(),
                Runtime.getRuntime().availableProcessors(), rounds);
        System.out.printf("%-26s", "executor");
        for (String w : workloads) {
            System.out.printf(" | %20s", w);
        }
        System.out.println();
        for (Map.Entry<String, double[][]> e : results.entrySet()) {
            System.out.printf("%-26s", e.getKey());
            for (double[] samples : e.getValue()) {
                System.out.printf(" | %20.1f", median(samples));
            }
            System.out.println();
        }
    }

    private static double[] runRound(ExecutorService executor) {
        EventLoop loop = EventLoop.newEventLoop();
        try {
            return loop.runUntilComplete(() -> {
                loop.setDefaultExecutor(executor);
                double[] out = new double[4];
                out[0] = noopMicros();
                out[1] = concurrentCallsPerSecond(() -> {
                    Thread.sleep(1);
                    return null;
                });
                out[2] = concurrentCallsPerSecond(() -> spin(50_000));
                out[3] = worstLagMillis();
                loop.shutdownDefaultExecutor(null);
                return out;
            });
        } finally {
            loop.close();
        }
    }

    private static double noopMicros() {
        long t0 = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            Asyncio.toThread(() -> Boolean.TRUE);
        }
        return (System.nanoTime() - t0) / 1e3 / CALLS;
    }

    private static double concurrentCallsPerSecond(java.util.concurrent.Callable<Object> call) {
        long t0 = System.nanoTime();
        List<Task<Object>> tasks = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            tasks.add(Asyncio.createTask(() -> Asyncio.toThread(call)));
        }
        for (Task<Object> t : tasks) {
            t.await();
        }
        return CALLS / ((System.nanoTime() - t0) / 1e9);
    }

    private static double worstLagMillis() {
        List<Task<Object>> hogs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            hogs.add(Asyncio.createTask(() -> Asyncio.toThread(() -> spin(100_000_000))));
        }
        long worst = 0;
        while (!hogs.stream().allMatch(Task::done)) {
            long t0 = System.nanoTime();
            Asyncio.sleep(0.001);
            worst = Math.max(worst, System.nanoTime() - t0 - 1_000_000);
        }
        return worst / 1e6;
    }

    private static Object spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x++;
        }
        return x;
    }

    private static double median(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
