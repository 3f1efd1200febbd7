package io.jasyncio.bench.compare;

/**
 * The seven workloads of the comparison (issue 11), with the shape every implementation must
 * share. The Python side (src/main/python/asyncio_peer.py) repeats these constants; change both.
 */
enum Workload {
    TASK_SWITCH("switch", "1. Task switch", "`await sleep(0)` in a loop, " + Workload.SWITCH_TASKS + " tasks taking turns",
            "switches/s", Kind.MICRO),
    SPAWN_JOIN("spawn", "2. Spawn + join", "create " + Workload.SPAWN_BATCH + " tasks that return at once, then await each",
            "tasks/s", Kind.MICRO),
    QUEUE("queue", "3. Queue", "one producer, one consumer, queue of maxsize " + Workload.QUEUE_MAXSIZE,
            "items/s", Kind.MICRO),
    LOCK("lock", "4. Lock contention", Workload.LOCK_TASKS + " tasks each looping `async with lock: await sleep(0)`",
            "acquisitions/s", Kind.MICRO),
    ECHO_SMALL("echo64", "5. TCP echo 64 B", Workload.ECHO_CONNECTIONS + " connections, 64-byte messages, one in flight per connection",
            "round trips/s", Kind.TCP),
    ECHO_LARGE("echo4k", "6. TCP echo 4 KiB", Workload.ECHO_CONNECTIONS + " connections, 4096-byte messages, one in flight per connection",
            "round trips/s", Kind.TCP),
    IDLE_ACTIVE("idle", "7. Idle + active", "idle connections held open while " + Workload.ACTIVE_CONNECTIONS
            + " active ones echo 64-byte messages; latency of the active ones", "p99 latency", Kind.LATENCY);

    /** Tasks taking turns in {@link #TASK_SWITCH}. */
    static final int SWITCH_TASKS = 10;
    /** Tasks spawned and joined per batch in {@link #SPAWN_JOIN}. */
    static final int SPAWN_BATCH = 100_000;
    /** Bound of the queue in {@link #QUEUE}: the producer suspends when it is full. */
    static final int QUEUE_MAXSIZE = 100;
    /** Tasks contending for the lock in {@link #LOCK}. */
    static final int LOCK_TASKS = 100;
    /** Connections of the echo workloads 5 and 6. */
    static final int ECHO_CONNECTIONS = 50;
    /** Active connections of workload 7. */
    static final int ACTIVE_CONNECTIONS = 100;
    /** Idle connections of workload 7 when the file-descriptor limit allows. */
    static final int IDLE_CONNECTIONS = 10_000;

    /** How a workload is run: inside one process, or as a server driven by the load generator. */
    enum Kind { MICRO, TCP, LATENCY }

    final String id;
    final String title;
    final String shape;
    final String unit;
    final Kind kind;

    Workload(String id, String title, String shape, String unit, Kind kind) {
        this.id = id;
        this.title = title;
        this.shape = shape;
        this.unit = unit;
        this.kind = kind;
    }

    /**
     * The unit in which an in-process workload's operation count is chosen: whole batches for
     * spawn + join, whole rounds of all tasks for task switch and lock.
     */
    long granularity() {
        return switch (this) {
            case TASK_SWITCH -> SWITCH_TASKS;
            case SPAWN_JOIN -> SPAWN_BATCH;
            case LOCK -> LOCK_TASKS;
            default -> 1;
        };
    }

    boolean isNetwork() {
        return kind != Kind.MICRO;
    }

    /** Bytes per echo message. */
    int messageSize() {
        return this == ECHO_LARGE ? 4096 : 64;
    }

    static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("workload must be one of switch, spawn, queue, lock, echo64, echo4k, idle: " + id);
    }
}
