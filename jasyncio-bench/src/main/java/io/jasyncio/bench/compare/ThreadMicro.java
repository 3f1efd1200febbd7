package io.jasyncio.bench.compare;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process workloads on plain JDK virtual threads with java.util.concurrent, the "what the
 * JDK gives for free" row: a task is a virtual thread, {@code sleep(0)} is {@link Thread#yield()},
 * the queue is an {@link ArrayBlockingQueue}, the lock a {@link ReentrantLock}. The virtual-thread
 * scheduler keeps its default parallelism (one carrier per core).
 */
final class ThreadMicro implements MicroWorkloads {
    private static final Thread.Builder VIRTUAL = Thread.ofVirtual();

    @Override
    public long taskSwitch(long ops) throws InterruptedException {
        int perTask = (int) (ops / Workload.SWITCH_TASKS);
        Thread[] threads = new Thread[Workload.SWITCH_TASKS];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = VIRTUAL.start(() -> {
                for (int k = 0; k < perTask; k++) {
                    Thread.yield();
                }
            });
        }
        joinAll(threads);
        return (long) perTask * Workload.SWITCH_TASKS;
    }

    @Override
    public long spawnJoin(long ops) throws InterruptedException {
        long batches = Math.max(1, ops / Workload.SPAWN_BATCH);
        Thread[] threads = new Thread[Workload.SPAWN_BATCH];
        Runnable noop = () -> { };
        for (long b = 0; b < batches; b++) {
            for (int i = 0; i < threads.length; i++) {
                threads[i] = VIRTUAL.start(noop);
            }
            joinAll(threads);
        }
        return batches * Workload.SPAWN_BATCH;
    }

    @Override
    public long queue(long ops) throws InterruptedException {
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(Workload.QUEUE_MAXSIZE);
        Thread producer = VIRTUAL.start(() -> {
            try {
                for (int i = 0; i < ops; i++) {
                    queue.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread consumer = VIRTUAL.start(() -> {
            try {
                for (long i = 0; i < ops; i++) {
                    queue.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.join();
        consumer.join();
        return ops;
    }

    @Override
    public long lock(long ops) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        int perTask = (int) (ops / Workload.LOCK_TASKS);
        Thread[] threads = new Thread[Workload.LOCK_TASKS];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = VIRTUAL.start(() -> {
                for (int k = 0; k < perTask; k++) {
                    lock.lock();
                    try {
                        Thread.yield();
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }
        joinAll(threads);
        return (long) perTask * Workload.LOCK_TASKS;
    }

    private static void joinAll(Thread[] threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }
}
