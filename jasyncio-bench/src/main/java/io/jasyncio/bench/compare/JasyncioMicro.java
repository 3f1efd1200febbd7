package io.jasyncio.bench.compare;

import io.jasyncio.Asyncio;
import io.jasyncio.Lock;
import io.jasyncio.Queue;
import io.jasyncio.Task;

/**
 * The in-process workloads on jasyncio, written as an asyncio user would write them. They run
 * inside a task of a running loop (see {@link MicroMain}), like the Python side inside
 * {@code asyncio.run}.
 */
final class JasyncioMicro implements MicroWorkloads {

    @Override
    public long taskSwitch(long ops) {
        int perTask = (int) (ops / Workload.SWITCH_TASKS);
        Task<?>[] tasks = new Task<?>[Workload.SWITCH_TASKS];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = Asyncio.createTask(() -> {
                for (int k = 0; k < perTask; k++) {
                    Asyncio.sleep(0);
                }
            });
        }
        for (Task<?> t : tasks) {
            t.await();
        }
        return (long) perTask * Workload.SWITCH_TASKS;
    }

    @Override
    public long spawnJoin(long ops) {
        long batches = Math.max(1, ops / Workload.SPAWN_BATCH);
        Task<?>[] tasks = new Task<?>[Workload.SPAWN_BATCH];
        for (long b = 0; b < batches; b++) {
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = Asyncio.createTask(() -> null);
            }
            for (Task<?> t : tasks) {
                t.await();
            }
        }
        return batches * Workload.SPAWN_BATCH;
    }

    @Override
    public long queue(long ops) {
        Queue<Integer> queue = new Queue<>(Workload.QUEUE_MAXSIZE);
        Task<?> producer = Asyncio.createTask(() -> {
            for (int i = 0; i < ops; i++) {
                queue.put(i);
            }
        });
        Task<?> consumer = Asyncio.createTask(() -> {
            for (long i = 0; i < ops; i++) {
                queue.get();
            }
        });
        producer.await();
        consumer.await();
        return ops;
    }

    @Override
    @SuppressWarnings("try") // the held lock is the point of the block, as in `async with lock`
    public long lock(long ops) {
        Lock lock = new Lock();
        int perTask = (int) (ops / Workload.LOCK_TASKS);
        Task<?>[] tasks = new Task<?>[Workload.LOCK_TASKS];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = Asyncio.createTask(() -> {
                for (int k = 0; k < perTask; k++) {
                    try (Lock held = lock.acquire()) {
                        Asyncio.sleep(0);
                    }
                }
            });
        }
        for (Task<?> t : tasks) {
            t.await();
        }
        return (long) perTask * Workload.LOCK_TASKS;
    }
}
