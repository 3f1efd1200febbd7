package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.Barrier;
import io.jasyncio.CancelledError;
import io.jasyncio.Condition;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.Lock;
import io.jasyncio.Queue;
import io.jasyncio.QueueShutDown;
import io.jasyncio.Semaphore;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/** Tour sections for the synchronization primitives and queues. */
public final class SyncTour {
    private SyncTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("Lock", SyncTour::lock),
                new Section("Event, Condition", SyncTour::eventAndCondition),
                new Section("Semaphore", SyncTour::semaphore),
                new Section("Barrier", SyncTour::barrier),
                new Section("Queue", SyncTour::queue),
                new Section("Queue cancellation", SyncTour::queueCancellation));
    }

    static String lock() {
        return Asyncio.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            int[] inside = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    lock.acquire();
                    try {
                        inside[0]++;
                        check(inside[0] == 1, "two tasks inside the lock");
                        Asyncio.sleep(0);
                        order.add(n);
                        inside[0]--;
                    } finally {
                        lock.release();
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            for (int i = 0; i < order.size(); i++) {
                check(order.get(i) == i, "the lock was not handed over in FIFO order: " + order);
            }
            return "100 tasks yielding inside the critical section: one at a time, in arrival order";
        });
    }

    static String eventAndCondition() {
        return Asyncio.run(() -> {
            Event start = new Event();
            int[] started = {0};
            List<Task<Void>> runners = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                runners.add(Asyncio.createTask(() -> {
                    start.await();
                    started[0]++;
                }));
            }
            Asyncio.sleep(0.01);
            check(started[0] == 0, "a runner went before the event was set");
            start.set();
            for (Task<Void> r : runners) {
                r.await();
            }
            Condition cond = new Condition();
            List<String> mailbox = new ArrayList<>();
            Task<String> reader = Asyncio.createTask(() -> {
                cond.acquire();
                try {
                    cond.awaitFor(() -> !mailbox.isEmpty());
                    return mailbox.remove(0);
                } finally {
                    cond.release();
                }
            });
            Asyncio.sleep(0.01);
            cond.acquire();
            try {
                mailbox.add("hello");
                cond.signal();
            } finally {
                cond.release();
            }
            String got = reader.await();
            check(started[0] == 10 && got.equals("hello"), "event woke " + started[0] + ", condition got " + got);
            return "one set() woke 10 waiting tasks; a condition signal delivered \"" + got + "\"";
        });
    }

    static String semaphore() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Semaphore slots = new Semaphore(5);
            int[] inside = {0};
            int[] peak = {0};
            double begin = loop.time();
            List<Task<Void>> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(Asyncio.createTask(() -> {
                    slots.acquire();
                    try {
                        peak[0] = Math.max(peak[0], ++inside[0]);
                        Asyncio.sleep(0.01);
                        inside[0]--;
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Task<Void> j : jobs) {
                j.await();
            }
            double took = loop.time() - begin;
            check(peak[0] == 5, "peak concurrency was " + peak[0]);
            check(took >= 0.04, "20 jobs of 10 ms, 5 at a time, took only " + took + " s");
            return String.format("20 jobs of 10 ms through Semaphore(5): at most %d at once, %.0f ms in all", peak[0],
                    took * 1000);
        });
    }

    static String barrier() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Barrier barrier = new Barrier(3);
            double begin = loop.time();
            List<Task<Double>> parties = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                double delay = 0.01 * i;
                parties.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(delay);
                    barrier.await();
                    return loop.time() - begin;
                }));
            }
            double first = parties.get(0).await();
            check(first >= 0.02, "the first party left the barrier before the last arrived");
            return String.format("3 tasks arriving at 0, 10 and 20 ms all passed the barrier at %.0f ms", first * 1000);
        });
    }

    static String queue() {
        return Asyncio.run(() -> {
            int n = 1_000_000;
            Queue<Integer> queue = new Queue<>(1000);
            Integer item = 42;
            long t0 = System.nanoTime();
            Task<Void> producer = Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    queue.put(item);
                }
                queue.shutdown();
            });
            int got = 0;
            try {
                while (true) {
                    queue.get();
                    got++;
                }
            } catch (QueueShutDown end) {
                // The producer is done and the queue is drained.
            }
            producer.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            check(got == n, "got " + got + " of " + n + " items");
            return String.format("%,d items from a producer to a consumer through Queue(maxsize=1000): %.1f M items/s",
                    n, n / seconds / 1e6);
        });
    }

    static String queueCancellation() {
        return Asyncio.run(() -> {
            Queue<String> queue = new Queue<>();
            Task<String> impatient = Asyncio.createTask(queue::get);
            Task<String> patient = Asyncio.createTask(queue::get);
            Asyncio.sleep(0);
            queue.putNowait("only item");
            impatient.cancel();
            try {
                impatient.await();
                throw new AssertionError("the cancelled getter returned");
            } catch (CancelledError expected) {
                // It was woken for the item, then cancelled before it could take it.
            }
            String got = patient.await();
            check(got.equals("only item") && queue.empty(), "the item was lost or duplicated");
            return "a getter cancelled after its item arrived took nothing; the next getter received it";
        });
    }
}
