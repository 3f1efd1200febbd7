package io.jasyncio.bench.compare;

import java.util.Locale;

/**
 * The memory target's measurement: {@code tasks} jasyncio tasks sleeping at once in a JVM limited
 * to {@code heapMaxBytes}, and the live heap after a collection.
 *
 * @param failure why there is no figure (for example running out of heap), or null
 */
record MemoryResult(String backend, int tasks, long heapUsedBytes, long heapMaxBytes, long spawnNanos, String failure) {
    static final long GIB = 1L << 30;

    boolean ok() {
        return failure == null;
    }

    boolean meetsTarget() {
        return ok() && tasks >= Settings.MEMORY_TASKS && heapUsedBytes < GIB;
    }

    String describe() {
        if (!ok()) {
            return String.format(Locale.ROOT, "%,d sleeping tasks FAILED: %s", tasks, failure);
        }
        return String.format(Locale.ROOT, "%,d sleeping tasks (%s backend): %.0f MiB of live heap after GC (%.0f bytes a task), "
                + "heap limit %.0f MiB; started in %.2f s",
                tasks, backend, heapUsedBytes / 1048576.0, (double) heapUsedBytes / tasks, heapMaxBytes / 1048576.0, spawnNanos / 1e9);
    }
}
