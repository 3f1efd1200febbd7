package io.jasyncio.bench.compare;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.lang.management.ManagementFactory;

/**
 * Child process of the comparison for the memory target: {@code MemoryMain <tasks>} starts that
 * many tasks that each sleep for an hour, waits until every one of them is suspended in its
 * sleep, collects garbage, and prints {@code backend <name>} then
 * {@code sleeping <tasks> <heapUsedBytes> <heapMaxBytes> <spawnNanos>}. Run it with the heap
 * limit under test (-Xmx1g): running out of heap is the failure the target rules out.
 */
public final class MemoryMain {
    private static final double ONE_HOUR = 3600;
    private static int asleep;

    private MemoryMain() {
    }

    /** Measures {@code args[0]} sleeping tasks as the class comment says, then halts the JVM. */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: MemoryMain <tasks>");
        }
        int tasks = Integer.parseInt(args[0]);
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        Asyncio.run(() -> {
            System.out.println("backend " + EventLoop.running().backendName());
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                Asyncio.createTask(() -> {
                    asleep++;
                    Asyncio.sleep(ONE_HOUR);
                });
            }
            while (asleep < tasks) {
                Asyncio.sleep(0);
            }
            long spawn = System.nanoTime() - start;
            System.gc();
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.println("sleeping " + asleep + " " + heap.getUsed() + " " + heap.getMax() + " " + spawn);
            System.out.flush();
            // Tearing down a million tasks measures nothing; the figure is printed.
            Runtime.getRuntime().halt(0);
        });
    }
}
