package io.jasyncio;

import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("try") // try-with-resources whose resource the body does not name, as `async with cond`
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConditionTest {

    /** A task that takes the lock, waits for one signal, records {@code n} and releases. */
    private static Task<?> waitOnce(Condition cond, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            try (var held = cond.acquire()) {
                cond.await();
                result.add(n);
            }
        });
    }

    @Test
    void signalWakesOneWaiterWhichResumesOnlyWhenLockIsReleased() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                int id = n;
                tasks.add(Asyncio.createTask(() -> {
                    cond.acquire();
                    cond.await();
                    result.add(id);
                }));
            }
            Asyncio.sleep(0);
            assertEquals(List.of(), result);
            assertFalse(cond.locked(), "await() released the lock");

            cond.acquire();
            cond.signal();
            Asyncio.sleep(0);
            assertEquals(List.of(), result, "the woken task must re-acquire the lock first");
            assertTrue(cond.locked());

            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(cond.locked(), "task 1 returned from await() holding the lock");

            cond.signal(2);
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(cond.locked());
            for (Task<?> t : tasks) {
                assertTrue(t.done());
            }
        });
    }

    @Test
    void signalNWakesAtMostNInFifoOrder() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<?> t1 = waitOnce(cond, result, 1);
            Task<?> t2 = waitOnce(cond, result, 2);
            Task<?> t3 = waitOnce(cond, result, 3);
            Asyncio.sleep(0);

            try (var held = cond.acquire()) {
                cond.signal(1);
            }
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);

            try (var held = cond.acquire()) {
                cond.signal(1);
                cond.signal(2048);
            }
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(t1.done() && t2.done() && t3.done());
        });
    }

    @Test
    void signalWithNonPositiveCountWakesNobody() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<?> t = waitOnce(cond, result, 1);
            Asyncio.sleep(0);
            try (var held = cond.acquire()) {
                cond.signal(0);
                cond.signal(-3);
            }
            Asyncio.sleep(1);
            assertEquals(List.of(), result);
            assertEquals("Condition[unlocked, waiters:1]", cond.toString());
            t.cancel();
            Asyncio.sleep(0);
        });
    }

    @Test
    void signalAllWakesEveryWaiter() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<?> t1 = waitOnce(cond, result, 1);
            Task<?> t2 = waitOnce(cond, result, 2);
            Asyncio.sleep(0);
            try (var held = cond.acquire()) {
                cond.signalAll();
            }
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
            assertTrue(t1.done() && t2.done());
        });
    }

    @Test
    void awaitWithoutLockThrows() {
        runVirtual(() -> {
            Condition cond = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
            assertEquals("cannot wait on un-acquired lock", e.getMessage());
        });
    }

    @Test
    void signalWithoutLockThrows() {
        Condition cond = new Condition();
        assertEquals("cannot notify on un-acquired lock",
                assertThrows(IllegalStateException.class, cond::signal).getMessage());
        assertThrows(IllegalStateException.class, () -> cond.signal(3));
        assertThrows(IllegalStateException.class, cond::signalAll);
    }

    @Test
    void awaitForReturnsAtOnceWithoutLockWhenPredicateHolds() {
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.awaitFor(() -> true);
            assertFalse(cond.locked());
            assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> false));
        });
    }

    @Test
    void awaitForRechecksPredicateAfterEachSignal() {
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] ready = {false};
            int[] checks = {0};
            List<Integer> result = new ArrayList<>();
            Task<?> t = Asyncio.createTask(() -> {
                cond.acquire();
                cond.awaitFor(() -> {
                    checks[0]++;
                    return ready[0];
                });
                result.add(1);
                cond.release();
            });
            Asyncio.sleep(0);
            assertEquals(1, checks[0]);

            try (var held = cond.acquire()) {
                cond.signal();
            }
            Asyncio.sleep(0);
            assertEquals(List.of(), result, "signalled, but the predicate is still false");
            assertEquals(2, checks[0]);

            ready[0] = true;
            try (var held = cond.acquire()) {
                cond.signal();
            }
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(t.done());
        });
    }

    @Test
    void cancelledWaitReacquiresLock() {
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<?> waiter = Asyncio.createTask(() -> cond.await());
            Asyncio.getRunningLoop().callSoon(() -> waiter.cancel());
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(cond.locked(), "the cancelled waiter took the lock back before leaving");
            assertEquals("Condition[locked]", cond.toString());
        });
    }

    @Test
    void cancelWhileLockIsContestedStillReturnsWithLock() {
        // asyncio's test_wait_cancel_contested.
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<?> waitTask = Asyncio.createTask(() -> {
                cond.await();
                return cond.locked();
            });
            Asyncio.sleep(0);
            assertFalse(cond.locked());

            cond.acquire();
            cond.signal();
            Asyncio.getRunningLoop().callSoon(() -> waitTask.cancel());
            Asyncio.getRunningLoop().callSoon(cond::release);
            try {
                waitTask.await();
            } catch (CancelledError e) {
                // Either outcome is allowed; what matters is the lock below.
            }
            assertTrue(cond.locked());
        });
    }

    @Test
    void cancelAfterSignalWhileReacquiringEndsCancelled() {
        // asyncio's test_wait_cancel_after_notify (bpo-32841).
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] waited = {false};
            Task<?> waiter = Asyncio.createTask(() -> {
                try (var held = cond.acquire()) {
                    waited[0] = true;
                    cond.await();
                }
            });
            Asyncio.sleep(0);
            cond.acquire();
            cond.signal();
            Asyncio.sleep(0);
            waiter.cancel();
            Asyncio.sleep(0);
            cond.release();
            Asyncio.sleep(0);
            assertTrue(waiter.cancelled());
            assertTrue(waited[0]);
            assertFalse(cond.locked(), "the cancelled waiter re-acquired, then released on leaving");
        });
    }

    @Test
    void cancellationWhileWaitingIsRethrownUnchanged() {
        // asyncio's test_cancelled_error_wakeup.
        runVirtual(() -> {
            Condition cond = new Condition();
            CancelledError[] raised = new CancelledError[1];
            Task<?> task = Asyncio.createTask(() -> {
                try (var held = cond.acquire()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> false));
                    throw raised[0];
                }
            });
            Asyncio.sleep(0);
            task.cancel("foo");
            CancelledError e = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", e.getMessage());
            assertSame(raised[0], e);
        });
    }

    @Test
    void cancellationWhileReacquiringIsRethrownUnchanged() {
        // asyncio's test_cancelled_error_re_aquire.
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] wake = {false};
            CancelledError[] raised = new CancelledError[1];
            Task<?> task = Asyncio.createTask(() -> {
                try (var held = cond.acquire()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> wake[0]));
                    assertTrue(cond.locked());
                    throw raised[0];
                }
            });
            Asyncio.sleep(0);
            cond.acquire();
            wake[0] = true;
            cond.signal();
            Asyncio.sleep(0);
            task.cancel("foo");
            cond.release();
            CancelledError e = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", e.getMessage());
            assertSame(raised[0], e);
        });
    }

    /** Two consumers of a counter guarded by a condition; -1 tells them to stop. */
    private static Task<?> consumer(Condition cond, int[] state) {
        return Asyncio.createTask(() -> {
            try (var held = cond.acquire()) {
                while (true) {
                    cond.awaitFor(() -> state[0] != 0);
                    if (state[0] < 0) {
                        return;
                    }
                    state[0]--;
                }
            }
        });
    }

    @Test
    void signalRacingWithCancelOfWokenWaiterIsNotLost() {
        // asyncio's test_cancelled_wakeup: the signalled consumer is cancelled before it runs;
        // the signal must reach the other consumer.
        runVirtual(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            Task<?> c0 = consumer(cond, state);
            Task<?> c1 = consumer(cond, state);
            Asyncio.sleep(0);
            try (var held = cond.acquire()) {
                state[0]++;
                cond.signal(1);
                c0.cancel();
                waitForZeroWithin(cond, state, 0.01);
                assertEquals(0, state[0], "the item was consumed despite the cancellation");
                state[0] = -1;
                cond.signalAll();
            }
            c1.await();
            assertTrue(c0.cancelled());
        });
    }

    @Test
    void signalRacingWithCancelDuringReacquireIsNotLost() {
        // asyncio's test_cancelled_wakeup_relock: the signalled consumer is cancelled while it
        // waits to re-acquire the lock.
        runVirtual(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            Task<?> c0 = consumer(cond, state);
            Task<?> c1 = consumer(cond, state);
            Asyncio.sleep(0);
            try (var held = cond.acquire()) {
                state[0]++;
                cond.signal(1);
                Asyncio.sleep(0);
                c0.cancel();
                waitForZeroWithin(cond, state, 0.01);
                assertEquals(0, state[0], "the item was consumed despite the cancellation");
                state[0] = -1;
                cond.signalAll();
            }
            c1.await();
            assertTrue(c0.cancelled());
        });
    }

    /** {@code awaitFor(state == 0)}, given up after {@code seconds} (asyncio.timeout in the original). */
    private static void waitForZeroWithin(Condition cond, int[] state, double seconds) {
        Task<?> self = Asyncio.currentTask();
        boolean[] timedOut = {false};
        TimerHandle timer = Asyncio.getRunningLoop().callLater(seconds, () -> {
            timedOut[0] = true;
            self.cancel();
        });
        try {
            cond.awaitFor(() -> state[0] == 0);
        } catch (CancelledError e) {
            if (!timedOut[0]) {
                throw e;
            }
            self.uncancel();
        } finally {
            timer.cancel();
        }
        assertTrue(cond.locked());
    }

    @Test
    void errorWhileWaitingPassesSignalToAnotherWaiter() {
        // A waiter cancelled after being signalled hands its signal on, so that one signal() always
        // results in one task running.
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<?> t1 = waitOnce(cond, result, 1);
            Task<?> t2 = waitOnce(cond, result, 2);
            Asyncio.sleep(0);
            try (var held = cond.acquire()) {
                cond.signal();
                t1.cancel();
            }
            assertThrows(CancelledError.class, t1::await);
            t2.await();
            assertEquals(List.of(2), result);
            assertFalse(cond.locked());
        });
    }

    @Test
    void sharedLockIsHeldThroughEitherObject() {
        runVirtual(() -> {
            for (Lock given : new Lock[] {null, new Lock()}) {
                Lock lock = given != null ? given : new Lock();
                Condition cond = new Condition(lock);
                assertSame(lock, cond.lock());
                try (var held = cond.acquire()) {
                    assertTrue(lock.locked());
                    assertTrue(cond.locked());
                }
                assertFalse(lock.locked());
                try (var held = lock.acquire()) {
                    assertTrue(cond.locked());
                }
                assertFalse(cond.locked());
            }
        });
    }

    @Test
    void twoConditionsOnOneLockSignalIndependently() {
        runVirtual(() -> {
            Lock lock = new Lock();
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            List<String> woke = new ArrayList<>();
            Task<?> a = Asyncio.createTask(() -> {
                try (var held = notEmpty.acquire()) {
                    notEmpty.await();
                    woke.add("notEmpty");
                }
            });
            Task<?> b = Asyncio.createTask(() -> {
                try (var held = notFull.acquire()) {
                    notFull.await();
                    woke.add("notFull");
                }
            });
            Asyncio.sleep(0);
            try (var held = lock.acquire()) {
                notFull.signal();
            }
            b.await();
            assertEquals(List.of("notFull"), woke);
            assertFalse(a.done());
            try (var held = lock.acquire()) {
                notEmpty.signal();
            }
            a.await();
            assertEquals(List.of("notFull", "notEmpty"), woke);
        });
    }

    @Test
    void awaitWithTimeoutViaCancellationKeepsLockHeld() {
        runVirtual(() -> {
            Condition cond = new Condition();
            try (var held = cond.acquire()) {
                Task<?> self = Asyncio.currentTask();
                Asyncio.getRunningLoop().callLater(0.5, () -> self.cancel());
                assertThrows(CancelledError.class, cond::await);
                self.uncancel();
                assertEquals(0.5, SyncTestSupport.now());
                assertTrue(cond.locked());
            }
            assertFalse(cond.locked());
        });
    }
}
