package io.jasyncio;

import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("try") // try-with-resources whose resource the body does not name, as `async with sem`
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    @Test
    void defaultSemaphoreHasOnePermit() {
        Semaphore sem = new Semaphore();
        assertFalse(sem.locked());
        assertEquals(1, sem.value);
    }

    @Test
    void initialValueZeroIsLocked() {
        assertTrue(new Semaphore(0).locked());
    }

    @Test
    void negativeInitialValueIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore initial value must be >= 0: -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-5));
    }

    @Test
    void acquireTakesPermitsUntilNoneLeftThenWaitersQueue() {
        // asyncio's test_acquire.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(3);
            List<Integer> result = new ArrayList<>();
            sem.acquire();
            sem.acquire();
            assertFalse(sem.locked());
            List<Task<?>> tasks = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                int id = n;
                tasks.add(Asyncio.createTask(() -> { sem.acquire(); result.add(id); }));
            }
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(sem.locked());
            assertEquals("Semaphore[locked, waiters:2]", sem.toString());
            assertEquals(0, sem.value);

            tasks.add(Asyncio.createTask(() -> { sem.acquire(); result.add(4); }));
            sem.release();
            sem.release();
            assertEquals(0, sem.value, "both permits were handed to waiters at once");
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result, "the queued tasks got the permits, not the newcomer");
            assertTrue(sem.locked());
            assertEquals("Semaphore[locked, waiters:1]", sem.toString());

            sem.release();
            tasks.get(3).await();
            assertEquals(List.of(1, 2, 3, 4), result);
        });
    }

    @Test
    void newcomerQueuesBehindWaitersEvenWithFreePermit() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> order = new ArrayList<>();
            Task<?> waiter = Asyncio.createTask(() -> { sem.acquire(); order.add("waiter"); });
            Asyncio.sleep(0);
            sem.release();
            assertTrue(sem.locked(), "the permit is promised to the woken waiter");
            Task<?> newcomer = Asyncio.createTask(() -> { sem.acquire(); order.add("newcomer"); });
            Asyncio.sleep(0);
            assertEquals(List.of("waiter"), order);
            sem.release();
            newcomer.await();
            waiter.await();
            assertEquals(List.of("waiter", "newcomer"), order);
        });
    }

    @Test
    void cancelledWaiterLeavesNoPendingWaiter() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            Task<?> acquire = Asyncio.createTask(() -> sem.acquire());
            Asyncio.getRunningLoop().callSoon(() -> acquire.cancel());
            assertThrows(CancelledError.class, acquire::await);
            assertEquals("Semaphore[locked]", sem.toString());
            sem.release();
            assertFalse(sem.locked());
            assertEquals(1, sem.value);
        });
    }

    @Test
    void waitersCancelledBeforeWakeUpGetNoPermit() {
        // asyncio's test_acquire_cancel_before_awoken.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<?>> t = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                t.add(Asyncio.createTask(() -> sem.acquire()));
            }
            Asyncio.sleep(0);
            t.get(0).cancel();
            t.get(1).cancel();
            sem.release();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(t.get(2).done() && !t.get(2).cancelled(), "the single permit went to the first live waiter");
            assertFalse(t.get(3).done());
            assertEquals(0, sem.value);
            t.get(3).cancel();
            Asyncio.sleep(0);
            assertEquals(0, sem.value, "no permit appeared from the cancellations");
        });
    }

    @Test
    void cancelledFirstWaiterDoesNotHangTheNext() {
        // asyncio's test_acquire_hang.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<?> t1 = Asyncio.createTask(() -> sem.acquire());
            Task<?> t2 = Asyncio.createTask(() -> sem.acquire());
            Asyncio.sleep(0);
            t1.cancel();
            sem.release();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(sem.locked());
            assertTrue(t2.done() && !t2.cancelled());
            assertTrue(t1.cancelled());
        });
    }

    @Test
    void permitHandedToCancelledWaiterGoesToNextWaiter() {
        // The permit is handed to t1 (woken), then t1 is cancelled before it resumes: it must give
        // the permit back so that t2 gets it; none is lost, none is duplicated.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<?> t1 = Asyncio.createTask(() -> sem.acquire());
            Task<?> t2 = Asyncio.createTask(() -> sem.acquire());
            Task<?> t3 = Asyncio.createTask(() -> sem.acquire());
            Asyncio.sleep(0);
            sem.release();
            t1.cancel();
            assertThrows(CancelledError.class, t1::await);
            t2.await();
            Asyncio.sleep(0);
            assertFalse(t3.done(), "one permit, one winner");
            assertEquals(0, sem.value);
            sem.release();
            t3.await();
            assertEquals(0, sem.value);
        });
    }

    @Test
    void holderCancelledInsideTryWithResourcesReturnsPermit() {
        // asyncio's test_acquire_no_hang.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            Task<?>[] t2 = new Task<?>[1];
            Task<?> t1 = Asyncio.createTask(() -> {
                try (var held = sem.acquire()) {
                    Asyncio.sleep(0);
                }
                t2[0].cancel();
            });
            t2[0] = Asyncio.createTask(() -> {
                try (var held = sem.acquire()) {
                    fail("t2 is cancelled before it gets the permit");
                }
            });
            t1.await();
            assertThrows(CancelledError.class, t2[0]::await);
            sem.acquire();
            assertTrue(sem.locked());
        });
    }

    @Test
    void permitsAreNeitherLostNorDuplicatedUnderRandomCancellation() {
        runVirtual(() -> {
            int permits = 3;
            Semaphore sem = new Semaphore(permits);
            int[] inside = {0};
            int[] maxInside = {0};
            int[] completed = {0};
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    try (var held = sem.acquire()) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        try {
                            Asyncio.sleep(0.1);
                        } finally {
                            inside[0]--;
                        }
                        completed[0]++;
                    }
                }));
            }
            java.util.Random random = new java.util.Random(42);
            for (int round = 0; round < 30; round++) {
                Asyncio.sleep(random.nextInt(2) * 0.05);
                tasks.get(random.nextInt(tasks.size())).cancel();
            }
            int cancelled = 0;
            for (Task<?> t : tasks) {
                try {
                    t.await();
                } catch (CancelledError e) {
                    cancelled++;
                }
            }
            assertEquals(40, completed[0] + cancelled);
            assertTrue(cancelled > 0 && completed[0] > 0);
            assertEquals(permits, maxInside[0], "never more than the permits, and the permits were used");
            assertEquals(permits, sem.value, "every permit came back");
            assertFalse(sem.locked());
        });
    }

    @Test
    void releaseMayRaiseCountAboveInitialValue() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.release();
            assertEquals(2, sem.value);
            sem.acquire();
            sem.acquire();
            assertTrue(sem.locked());
        });
    }

    @Test
    void fifoOrderAcrossRepeatedAcquires() {
        // asyncio's test_acquire_fifo_order.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            List<String> result = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            for (String tag : List.of("c1", "c2", "c3")) {
                tasks.add(Asyncio.createTask(() -> {
                    sem.acquire();
                    result.add(tag + "_1");
                    Asyncio.sleep(0.01);
                    sem.release();
                    sem.acquire();
                    result.add(tag + "_2");
                    Asyncio.sleep(0.01);
                    sem.release();
                }));
            }
            for (Task<?> t : tasks) {
                t.await();
            }
            assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        });
    }

    @Test
    void releaseThenReacquireQueuesBehindEarlierWaiters() {
        // asyncio's test_acquire_fifo_order_2.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            List<Integer> result = new ArrayList<>();
            Task<?> t1 = Asyncio.createTask(() -> { sem.acquire(); result.add(1); });
            Task<?> t2 = Asyncio.createTask(() -> {
                sem.acquire();
                result.add(2);
                sem.release();
                sem.acquire();
                result.add(4);
            });
            Task<?> t3 = Asyncio.createTask(() -> { sem.acquire(); result.add(3); });
            Asyncio.sleep(0);
            sem.release();
            sem.release();
            t1.await();
            t2.await();
            t3.await();
            assertEquals(List.of(1, 2, 3, 4), result);
        });
    }

    @Test
    void cancelledWaiterBeforeReleaseIsSkipped() {
        // asyncio's test_acquire_fifo_order_3.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                int id = n;
                tasks.add(Asyncio.createTask(() -> { sem.acquire(); result.add(id); }));
            }
            Asyncio.sleep(0);
            tasks.get(0).cancel();
            Asyncio.sleep(0);
            sem.release();
            sem.release();
            assertThrows(CancelledError.class, tasks.get(0)::await);
            tasks.get(1).await();
            tasks.get(2).await();
            assertEquals(List.of(2, 3), result);
        });
    }

    @Test
    void successfulAcquireWakesWaitersQueuedBehindFreePermits() {
        // asyncio's test_acquire_fifo_order_4: three releases while c1 waits; c2 and c3 queue behind
        // c1 although permits are free, and c1's acquire wakes them.
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            Task<?>[] t4 = new Task<?>[1];
            Task<?> t1 = Asyncio.createTask(() -> {
                assertEquals(0, sem.value);
                sem.acquire();
                assertEquals(0, sem.value, "c1 woke both other waiters on its way out");
                t4[0] = Asyncio.createTask(() -> { result.add(4); });
                result.add(1);
            });
            Task<?> t2 = Asyncio.createTask(() -> {
                sem.release();
                sem.release();
                sem.release();
                assertEquals(2, sem.value);
                assertTrue(sem.locked(), "c1 has been woken but not resumed");
                sem.acquire();
                result.add(2);
            });
            Task<?> t3 = Asyncio.createTask(() -> {
                sem.acquire();
                assertTrue(sem.locked());
                result.add(3);
            });
            Asyncio.sleep(0);
            assertEquals(2, sem.value);
            assertEquals("Semaphore[locked, waiters:3]", sem.toString());
            Asyncio.sleep(0);
            t1.await();
            t2.await();
            t3.await();
            t4[0].await();
            assertEquals(List.of(1, 2, 3, 4), result);
        });
    }

    @Test
    void tryWithResourcesReleasesPermit() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(2);
            try (var held = sem.acquire()) {
                assertEquals(1, sem.value);
            }
            assertEquals(2, sem.value);
        });
    }

    @Test
    void limitsConcurrencyToItsPermits() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(3);
            int[] inside = {0};
            int[] maxInside = {0};
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    try (var held = sem.acquire()) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        Asyncio.sleep(1);
                        inside[0]--;
                    }
                }));
            }
            for (Task<?> t : tasks) {
                t.await();
            }
            assertEquals(3, maxInside[0]);
            assertEquals(4.0, SyncTestSupport.now(), "10 one-second jobs, 3 at a time: 4 rounds");
        });
    }

    @Test
    void boundedSemaphoreRejectsOverRelease() {
        BoundedSemaphore sem = new BoundedSemaphore();
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertEquals("BoundedSemaphore released too many times (initial value 1)", e.getMessage());
        assertEquals(1, sem.value);
    }

    @Test
    void boundedSemaphoreAllowsReleaseUpToItsBound() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            sem.acquire();
            sem.acquire();
            assertTrue(sem.locked());
            sem.release();
            sem.release();
            assertFalse(sem.locked());
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals("BoundedSemaphore[unlocked, value:2]", sem.toString());
        });
    }

    @Test
    void boundedSemaphoreCountsPermitHandedToWaiterAsTaken() {
        // A release that hands the permit to a waiter keeps the count at 0, so a second release is
        // still within the bound only once the waiter is done with it.
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<?> waiter = Asyncio.createTask(() -> {
                try (var held = sem.acquire()) {
                    Asyncio.sleep(1);
                }
            });
            Asyncio.sleep(0);
            sem.release();
            assertEquals(0, sem.value);
            waiter.await();
            assertEquals(1, sem.value);
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void toStringShowsValueWhenUnlocked() {
        Semaphore sem = new Semaphore(2);
        assertEquals("Semaphore[unlocked, value:2]", sem.toString());
        sem.acquire();
        sem.acquire();
        assertEquals("Semaphore[locked]", sem.toString());
    }
}
