package io.jasyncio;

import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("try") // try-with-resources whose resource the body does not name, as `async with lock`
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockTest {

    @Test
    void newLockIsUnlocked() {
        assertFalse(new Lock().locked());
    }

    @Test
    void acquireOfFreeLockDoesNotSuspend() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task ran"));
            assertSame(lock, lock.acquire());
            assertTrue(lock.locked());
            assertEquals(List.of(), events, "acquire() of a free lock must not yield to other tasks");
        });
    }

    @Test
    void waitersAcquireInFifoOrder() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            Task<?> t1 = Asyncio.createTask(() -> { lock.acquire(); order.add(1); });
            Task<?> t2 = Asyncio.createTask(() -> { lock.acquire(); order.add(2); });
            Asyncio.sleep(0);
            assertEquals(List.of(), order);

            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), order);
            Asyncio.sleep(0);
            assertEquals(List.of(1), order, "t2 waits until t1 releases");

            Task<?> t3 = Asyncio.createTask(() -> { lock.acquire(); order.add(3); });
            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), order);
            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), order);
            assertTrue(t1.done() && t2.done() && t3.done());
            assertTrue(lock.locked());
        });
    }

    @Test
    void newcomerQueuesBehindWokenWaiter() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Asyncio.createTask(() -> { lock.acquire(); order.add("waiter"); lock.release(); });
            Asyncio.sleep(0);
            lock.release();
            assertFalse(lock.locked(), "released, the woken waiter has not resumed yet");
            lock.acquire();
            order.add("releaser again");
            lock.release();
            assertEquals(List.of("waiter", "releaser again"), order, "no barging past the woken waiter");
        });
    }

    @Test
    void releaseOfUnlockedLockThrows() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("Lock is not acquired.", e.getMessage());
    }

    @Test
    void anyTaskMayReleaseTheLock() {
        runVirtual(() -> {
            Lock lock = new Lock();
            Asyncio.createTask(() -> lock.acquire()).await();
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        });
    }

    @Test
    void tryWithResourcesReleasesOnNormalExit() {
        runVirtual(() -> {
            Lock lock = new Lock();
            try (var held = lock.acquire()) {
                assertTrue(lock.locked());
            }
            assertFalse(lock.locked());
        });
    }

    @Test
    void tryWithResourcesReleasesWhenBodyThrows() {
        runVirtual(() -> {
            Lock lock = new Lock();
            assertThrows(ArithmeticException.class, () -> {
                try (var held = lock.acquire()) {
                    throw new ArithmeticException("boom");
                }
            });
            assertFalse(lock.locked());
        });
    }

    @Test
    void tryWithResourcesWaitsForHolder() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            Task<?> holder = Asyncio.createTask(() -> {
                try (var held = lock.acquire()) {
                    order.add("holder in");
                    Asyncio.sleep(5);
                    order.add("holder out");
                }
            });
            Asyncio.sleep(0);
            try (var held = lock.acquire()) {
                order.add("main in at " + SyncTestSupport.now());
            }
            holder.await();
            assertEquals(List.of("holder in", "holder out", "main in at 5.0"), order);
        });
    }

    @Test
    void cancelledWaiterLeavesQueue() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<?> waiter = Asyncio.createTask(() -> lock.acquire());
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters:1]", lock.toString());
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertEquals("Lock[locked]", lock.toString());
            assertTrue(lock.locked(), "the holder keeps the lock");
        });
    }

    @Test
    void releaseSkipsWaiterCancelledBeforeWakeUp() {
        // asyncio's test_cancel_race: B is cancelled while A releases; C must get the lock.
        runVirtual(() -> {
            Lock lock = new Lock();
            Future<Void> blocker = Asyncio.getRunningLoop().createFuture();
            AsyncRunnable lockit = () -> {
                lock.acquire();
                try {
                    if (!blocker.done()) {
                        blocker.await();
                    }
                } finally {
                    lock.release();
                }
            };
            Task<?> a = Asyncio.createTask(lockit);
            Asyncio.sleep(0);
            assertTrue(lock.locked());
            Task<?> b = Asyncio.createTask(lockit);
            Asyncio.sleep(0);
            Task<?> c = Asyncio.createTask(lockit);
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters:2]", lock.toString());

            blocker.setResult(null);
            b.cancel();
            Asyncio.sleep(0);
            assertFalse(lock.locked());
            assertTrue(a.done());
            assertTrue(b.cancelled());
            c.await();
            assertFalse(lock.locked());
        });
    }

    @Test
    void cancelAndReleaseTogetherHandOutTheLockOnce() {
        // asyncio's test_cancel_release_race (bpo-32734).
        runVirtual(() -> {
            Lock lock = new Lock();
            int[] acquired = {0};
            lock.acquire();
            AsyncRunnable lockit = () -> {
                lock.acquire();
                acquired[0]++;
            };
            Task<?> t1 = Asyncio.createTask(lockit);
            Task<?> t2 = Asyncio.createTask(lockit);
            Task<?> t3 = Asyncio.createTask(lockit);
            Asyncio.sleep(0);
            Asyncio.getRunningLoop().callSoon(() -> {
                t1.cancel();
                lock.release();
            });
            assertThrows(CancelledError.class, t1::await);
            assertEquals(1, acquired[0]);
            assertTrue(t1.cancelled());
            assertTrue(t2.done());
            assertFalse(t3.done(), "t3 waits for t2's lock, which is never released");
            t3.cancel();
            Asyncio.sleep(0);
            assertTrue(t3.cancelled());
        });
    }

    @Test
    void cancelledWaiterPassesLockToNextWaiter() {
        // The lock is handed to B (its future has a result), then B is cancelled before it
        // resumes: B must not keep the lock nor lose the wake-up; C gets it.
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> got = new ArrayList<>();
            lock.acquire();
            Task<?> b = Asyncio.createTask(() -> { lock.acquire(); got.add("b"); });
            Task<?> c = Asyncio.createTask(() -> { lock.acquire(); got.add("c"); });
            Asyncio.sleep(0);
            lock.release();
            b.cancel();
            assertThrows(CancelledError.class, b::await);
            c.await();
            assertEquals(List.of("c"), got);
            assertTrue(lock.locked(), "c holds the lock");
            assertEquals("Lock[locked]", lock.toString());
        });
    }

    @Test
    void waiterCancelledBeforeWakeUpLetsNewcomerTakeLock() {
        // asyncio's test_finished_waiter_cancelled: every queued waiter is cancelled, so a task
        // arriving later may take the lock at once.
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<?> b = Asyncio.createTask(() -> lock.acquire());
            Asyncio.sleep(0);
            Task<?> c = Asyncio.createTask(() -> lock.acquire());
            b.cancel();
            lock.release();
            Asyncio.sleep(0);
            assertTrue(lock.locked());
            assertTrue(b.cancelled());
            c.await();
            assertTrue(c.done() && !c.cancelled());
        });
    }

    @Test
    void cancelledHolderDoesNotLeakLockWithTryWithResources() {
        runVirtual(() -> {
            Lock lock = new Lock();
            Task<?> holder = Asyncio.createTask(() -> {
                try (var held = lock.acquire()) {
                    Asyncio.sleep(100);
                }
            });
            Asyncio.sleep(0);
            assertTrue(lock.locked());
            holder.cancel();
            assertThrows(CancelledError.class, holder::await);
            assertFalse(lock.locked());
        });
    }

    @Test
    void manyWaitersCancelledInTheMiddleKeepOrder() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    lock.acquire();
                    order.add(n);
                    Asyncio.sleep(0);
                    lock.release();
                }));
            }
            Asyncio.sleep(0);
            tasks.get(1).cancel();
            tasks.get(4).cancel();
            lock.release();
            for (Task<?> t : tasks) {
                try {
                    t.await();
                } catch (CancelledError expected) {
                    assertTrue(t == tasks.get(1) || t == tasks.get(4));
                }
            }
            assertEquals(List.of(0, 2, 3, 5), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void waitingOutsideTaskIsRejected() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Future<Throwable> seen = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    lock.acquire();
                    seen.setResult(null);
                } catch (IllegalStateException e) {
                    seen.setResult(e);
                }
            });
            Throwable e = seen.await();
            assertNotNull(e, "acquire() of a held lock from a plain callback must fail");
            assertTrue(e.getMessage().contains("only a task can wait"), e.getMessage());
            assertEquals("Lock[locked]", lock.toString(), "the failed call left no waiter behind");
        });
    }

    @Test
    void lockIsBoundToTheFirstLoopThatWaits() {
        Lock lock = new Lock();
        runVirtual(() -> {
            lock.acquire();
            Task<?> waiter = Asyncio.createTask(() -> lock.acquire());
            Asyncio.sleep(0);
            lock.release();
            waiter.await();
        });
        assertTrue(lock.locked());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runVirtual(() -> lock.acquire()));
        assertTrue(e.getMessage().endsWith("is bound to a different event loop"), e.getMessage());
    }

    @Test
    void fastPathNeedsNoLoop() {
        Lock lock = new Lock();
        lock.acquire();
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void toStringShowsStateAndWaiters() {
        runVirtual(() -> {
            Lock lock = new Lock();
            assertEquals("Lock[unlocked]", lock.toString());
            lock.acquire();
            assertEquals("Lock[locked]", lock.toString());
            Task<?> w = Asyncio.createTask(() -> lock.acquire());
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters:1]", lock.toString());
            w.cancel();
            Asyncio.sleep(0);
        });
    }
}
