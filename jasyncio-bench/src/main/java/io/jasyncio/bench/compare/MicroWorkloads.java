package io.jasyncio.bench.compare;

/**
 * One Java implementation of the four in-process workloads. Each method runs the workload's shape
 * (see {@link Workload}) over about {@code ops} operations and returns how many it performed.
 * Implementations throw {@link UnsupportedOperationException} for a workload they cannot run, with
 * the reason as the message.
 */
interface MicroWorkloads {

    /** Tasks take turns with {@code await sleep(0)}; returns the number of sleeps. */
    long taskSwitch(long ops) throws Exception;

    /** Spawns and joins batches of {@link Workload#SPAWN_BATCH} tasks; returns the number of tasks. */
    long spawnJoin(long ops) throws Exception;

    /** Moves {@code ops} items from one producer to one consumer through a bounded queue. */
    long queue(long ops) throws Exception;

    /** {@link Workload#LOCK_TASKS} tasks acquire one lock and yield while holding it; returns the acquisitions. */
    long lock(long ops) throws Exception;

    /** Runs {@code workload} once. */
    default long run(Workload workload, long ops) throws Exception {
        return switch (workload) {
            case TASK_SWITCH -> taskSwitch(ops);
            case SPAWN_JOIN -> spawnJoin(ops);
            case QUEUE -> queue(ops);
            case LOCK -> lock(ops);
            default -> throw new IllegalArgumentException("not an in-process workload: " + workload.id);
        };
    }
}
