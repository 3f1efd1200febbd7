package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.VirtualClock;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryMXBean;

/**
 * Checks that many concurrently sleeping tasks fit in the heap: spawns {@code tasks} tasks
 * (default 1,000,000) that each call {@code Asyncio.sleep(60)} on a {@link VirtualClock} loop,
 * waits until every one is suspended, measures the heap in use after a full GC, then lets the
 * clock jump to t=60 s and joins them all. Prints the heap per task and exits with status 1 if the
 * tasks did not fit in 1 GiB (or in the heap given, when smaller), 0 otherwise.
 *
 * <pre>
 * java -Xmx1g --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED \
 *      -cp jasyncio-bench/target/jasyncio-benchmarks.jar io.jasyncio.bench.SleepingTasksMemory [tasks [backend]]
 * </pre>
 * {@code backend} is {@code continuation} (the default) or {@code virtual}.
 */
public final class SleepingTasksMemory {
    private static final long GIB = 1L << 30;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private SleepingTasksMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String backend = args.length > 1 ? args[1] : "continuation";
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("tasks: %,d  max heap: %,d bytes  java %s%n", n, maxHeap, Runtime.version());
        // Freed on OutOfMemoryError so the verdict can still be printed: parked virtual threads
        // stay reachable (the JDK tracks them for thread dumps), so the failed tasks are not freed.
        byte[] reserve = new byte[8 << 20];
        boolean fits;
        try {
            fits = measure(n, backend, maxHeap);
        } catch (OutOfMemoryError e) {
            reserve = null;
            System.out.println("DOES NOT FIT: " + e);
            fits = false;
        }
        Reference.reachabilityFence(reserve);
        System.exit(fits ? 0 : 1);
    }

    private static boolean measure(int n, String backend, long maxHeap) {
        EventLoop loop = BenchLoops.open(backend, new VirtualClock());
        System.out.println("backend: " + loop.backendName());
        long baseline = usedAfterGc();
        long[] used = new long[1];
        long start = System.nanoTime();
        long joined = loop.runUntilComplete(() -> {
            Task<?>[] sleepers = new Task<?>[n];
            for (int i = 0; i < n; i++) {
                sleepers[i] = Asyncio.createTask(() -> Asyncio.sleep(60));
            }
            // Every sleeper was scheduled before this yield, so it has run to its sleep by the time we resume.
            Asyncio.sleep(0);
            System.out.printf("spawned and suspended in %.2f s%n", (System.nanoTime() - start) / 1e9);
            for (Task<?> t : sleepers) {
                if (t.done()) {
                    throw new IllegalStateException("a sleeper finished early: " + t);
                }
            }
            used[0] = usedAfterGc();
            long count = 0;
            for (Task<?> t : sleepers) {
                t.await();
                count++;
            }
            if (loop.time() < 60) {
                throw new IllegalStateException("sleepers woke before t=60: t=" + loop.time());
            }
            return count;
        });
        loop.close();
        long perTask = (used[0] - baseline) / n;
        long limit = Math.min(GIB, maxHeap);
        System.out.printf("heap used after GC: %,d bytes before, %,d bytes with %,d tasks asleep%n",
                baseline, used[0], n);
        System.out.printf("per sleeping task: %,d bytes (the array joining them included)%n", perTask);
        System.out.printf("joined %,d tasks at loop time t=60 s, %.2f s in all%n", joined, (System.nanoTime() - start) / 1e9);
        boolean fits = used[0] <= limit && joined == n;
        System.out.println(fits ? "FITS in " + limit + " bytes" : "DOES NOT FIT in " + limit + " bytes");
        return fits;
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        // A few rounds: weak references and cleaners free memory only on a later collection.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
