package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Lock;
import io.jasyncio.Queue;
import io.jasyncio.Semaphore;
import io.jasyncio.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of jasyncio's locks, semaphores and queues, side by side with CPython's asyncio
 * running the same workloads through {@code sync_bench.py} (when {@code python3} is on the PATH;
 * the table says so when it is not). Each workload runs on a fresh real-clock loop, a few times
 * to warm up, then {@code runs} times measured; the table gives the median and the range.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar io.jasyncio.bench.SyncBench [runs]
 * </pre>
 *
 * The backend is the JVM's: add {@code -Djasyncio.backend=virtual} for the virtual-thread one.
 */
public final class SyncBench {
    private static final int WARMUP_RUNS = 3;
    private static final int TASKS = 100;
    /** Queue workloads move one shared object, so they measure the queue, not boxing. */
    private static final Object ITEM = new Object();

    /** A workload body, run inside a task; returns how many operations it performed. */
    @FunctionalInterface
    private interface Body {
        long run(int size);
    }

    private record Workload(String name, String description, int javaSize, int pythonSize, Body body) {
    }

    private static final List<Workload> WORKLOADS = List.of(
            new Workload("lock_uncontended", "Lock acquire+release, one task", 20_000_000, 500_000,
                    SyncBench::lockUncontended),
            new Workload("lock_contended", "Lock acquire+release, 100 tasks, sleep(0) inside", 2_000, 200,
                    n -> {
                        Lock lock = new Lock();
                        return contend(lock::acquire, lock::release, n);
                    }),
            new Workload("semaphore_100", "Semaphore(10), 100 tasks, sleep(0) inside", 2_000, 200,
                    n -> {
                        Semaphore semaphore = new Semaphore(10);
                        return contend(semaphore::acquire, semaphore::release, n);
                    }),
            new Workload("queue_bounded", "Queue(maxsize=1000), 1 producer + 1 consumer", 2_000_000, 200_000,
                    n -> pipe(1000, n)),
            new Workload("queue_unbounded", "Queue(), 1 producer + 1 consumer", 2_000_000, 200_000,
                    n -> pipe(0, n)));

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String backend;
        try (EventLoop probe = EventLoop.newEventLoop()) {
            backend = probe.backendName();
        }
        Path script = Python.extractScript(SyncBench.class, "sync_bench.py");
        String python = Python.version();
        System.out.printf(Locale.ROOT, "jasyncio on Java %s, %s backend; %d CPUs; CPython: %s%n%n",
                Runtime.version(), backend, Runtime.getRuntime().availableProcessors(),
                python != null ? python : "python3 not found on the PATH, CPython column left empty");
        System.out.println("| workload | jasyncio ops/s, median [min-max] | CPython asyncio ops/s, median [min-max] | ratio |");
        System.out.println("|---|---|---|---|");
        for (Workload w : WORKLOADS) {
            double[] java = measureJava(w, runs);
            double[] cpython = python != null ? measurePython(script, w, runs) : null;
            System.out.printf(Locale.ROOT, "| %s (%s) | %s | %s | %s |%n", w.name(), w.description(), summary(java),
                    cpython != null ? summary(cpython) : "n/a", cpython != null ? ratio(median(java) / median(cpython)) : "n/a");
        }
    }

    // ---------------------------------------------------------------- workloads

    private static long lockUncontended(int n) {
        Lock lock = new Lock();
        for (int i = 0; i < n; i++) {
            lock.acquire();
            lock.release();
        }
        return n;
    }

    /** 100 tasks each taking the primitive {@code n} times and yielding while they hold it. */
    private static long contend(Runnable acquire, Runnable release, int n) {
        List<Task<Void>> tasks = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            tasks.add(Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    acquire.run();
                    try {
                        Asyncio.sleep(0);
                    } finally {
                        release.run();
                    }
                }
            }));
        }
        awaitAll(tasks);
        return (long) TASKS * n;
    }

    private static long pipe(int maxsize, int n) {
        Queue<Object> queue = new Queue<>(maxsize);
        Task<Void> producer = Asyncio.createTask(() -> {
            for (int i = 0; i < n; i++) {
                queue.put(ITEM);
            }
        });
        Task<Integer> consumer = Asyncio.createTask(() -> {
            int got = 0;
            for (int i = 0; i < n; i++) {
                if (queue.get() == ITEM) {
                    got++;
                }
            }
            return got;
        });
        producer.await();
        if (consumer.await() != n) {
            throw new AssertionError("items lost");
        }
        return n;
    }

    private static void awaitAll(List<Task<Void>> tasks) {
        for (Task<Void> t : tasks) {
            t.await();
        }
    }

    // ---------------------------------------------------------------- measuring

    private static double[] measureJava(Workload w, int runs) {
        for (int i = 0; i < WARMUP_RUNS; i++) {
            runOnce(w);
        }
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) {
            rates[i] = runOnce(w);
        }
        return rates;
    }

    /** Operations per second of one run, timed inside the main task (loop set-up excluded). */
    private static double runOnce(Workload w) {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            return loop.runUntilComplete(() -> {
                long start = System.nanoTime();
                long ops = w.body().run(w.javaSize());
                return ops / ((System.nanoTime() - start) / 1e9);
            });
        }
    }

    private static double[] measurePython(Path script, Workload w, int runs) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString(), w.name(), Integer.toString(w.pythonSize()),
                Integer.toString(runs)).redirectErrorStream(true).start();
        List<Double> rates = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                try {
                    rates.add(Double.parseDouble(line.trim()));
                } catch (NumberFormatException e) {
                    throw new IOException("sync_bench.py " + w.name() + " printed: " + line);
                }
            }
        }
        if (p.waitFor() != 0 || rates.size() != runs) {
            throw new IOException("sync_bench.py " + w.name() + " failed with status " + p.exitValue());
        }
        return rates.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double median(double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String summary(double[] rates) {
        double min = Arrays.stream(rates).min().orElse(0);
        double max = Arrays.stream(rates).max().orElse(0);
        return String.format(Locale.ROOT, "%s [%s-%s]", human(median(rates)), human(min), human(max));
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
    }

    private static String human(double rate) {
        if (rate >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", rate / 1e6);
        }
        return String.format(Locale.ROOT, "%.0fk", rate / 1e3);
    }
}
