package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AsyncioWaitForTest {

    static final class FooError extends Exception {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resultArrivingBeforeTheTimeoutIsReturned() {
        TestLoops.runVirtual(() -> {
            Future<String> fut = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callLater(0.1, () -> fut.setResult("ok"));
            assertEquals("ok", Asyncio.waitFor(fut, 0.2));
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void timeoutCancelsTheTaskAtTheDeadlineAndRaisesTimeoutError() {
        TestLoops.runVirtual(() -> {
            boolean[] running = {false};
            Task<String> fut = Asyncio.createTask(() -> {
                running[0] = true;
                try {
                    Asyncio.sleep(10);
                } finally {
                    running[0] = false;
                }
                return "done";
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, 5.0));
            assertEquals(5.0, now());
            assertTrue(fut.cancelled());
            assertFalse(running[0]);
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void coroutineTimingOutIsInterruptedInline() {
        TestLoops.runVirtual(() -> {
            boolean[] finished = {false};
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
                Asyncio.sleep(10);
                finished[0] = true;
            }, Duration.ofSeconds(2)));
            assertFalse(finished[0]);
            assertEquals(2.0, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void expiryWaitsUntilTheCancelledTaskIsReallyDone() {
        TestLoops.runVirtual(() -> {
            boolean[] taskDone = {false};
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    throw e;
                } finally {
                    taskDone[0] = true;
                }
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 1.0));
            assertTrue(taskDone[0]);
            assertEquals(1.5, now(), 1e-9);
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void zeroTimeoutWaitsUntilTheCancelledTaskIsReallyDone() {
        TestLoops.runVirtual(() -> {
            boolean[] taskDone = {false};
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    throw e;
                } finally {
                    taskDone[0] = true;
                }
            });
            Asyncio.sleep(0.1);
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 0));
            assertTrue(taskDone[0]);
            assertEquals(0.6, now(), 1e-9);
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void nonPositiveTimeoutReturnsTheResultOfADoneFuture() {
        TestLoops.runVirtual(() -> {
            Future<String> fut = Asyncio.getRunningLoop().createFuture();
            fut.setResult("done");
            assertEquals("done", Asyncio.waitFor(fut, 0));
            assertEquals("done", Asyncio.waitFor(fut, -1));
            assertEquals(0.0, now());
        });
    }

    @Test
    void nonPositiveTimeoutNeverStartsTheCoroutine() {
        TestLoops.runVirtual(() -> {
            boolean[] started = {false};
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
                started[0] = true;
                return null;
            }, 0));
            assertFalse(started[0]);
            assertEquals(0.0, now());
        });
    }

    @Test
    void nonPositiveTimeoutCancelsARunningTask() {
        TestLoops.runVirtual(() -> {
            for (double timeout : new double[] {0, -1}) {
                boolean[] running = {false};
                Future<Void> started = Asyncio.getRunningLoop().createFuture();
                Task<String> fut = Asyncio.createTask(() -> {
                    running[0] = true;
                    started.setResult(null);
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        running[0] = false;
                    }
                    return "done";
                });
                started.await();
                assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, timeout));
                assertTrue(fut.cancelled());
                assertFalse(running[0]);
            }
            assertEquals(0.0, now());
        });
    }

    @Test
    void nullTimeoutWaitsForever() {
        TestLoops.runVirtual(() -> {
            assertEquals("done", Asyncio.waitFor(() -> Asyncio.sleep(3600, "done"), (Duration) null));
            Task<String> t = Asyncio.createTask(() -> Asyncio.sleep(7200, "task"));
            assertEquals("task", Asyncio.waitFor(t, (Duration) null));
            assertEquals(3600.0 + 7200.0, now());
        });
    }

    @Test
    void coroutineThatSuppressesTheCancellationReturnsItsValue() {
        TestLoops.runVirtual(() -> {
            int r = Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    return 42;
                }
                return 0;
            }, 0.1);
            assertEquals(42, r);
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void exceptionRaisedDuringTheCancellationPropagates() {
        TestLoops.runVirtual(() -> {
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(0.2);
                } catch (CancelledError e) {
                    throw new FooError();
                }
            });
            assertThrows(FooError.class, () -> Asyncio.waitFor(inner, 0.0001));
        });
    }

    @Test
    void exceptionOfTheFuturePropagatesUnchanged() {
        TestLoops.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Asyncio.waitFor(t, 5)));
            assertEquals(1.0, now());
        });
    }

    @Test
    void cancellingTheWaitCancelsTheAwaitedTask() {
        TestLoops.runVirtual(() -> {
            for (Duration timeout : new Duration[] {null, Duration.ofSeconds(60)}) {
                Task<Void> blocked = Asyncio.createTask(() -> {
                    Asyncio.getRunningLoop().createFuture().await();
                });
                Task<Void> wait = Asyncio.createTask(() -> {
                    Asyncio.waitFor(blocked, timeout);
                });
                Asyncio.getRunningLoop().callSoon(wait::cancel);
                assertThrows(CancelledError.class, wait::await);
                assertTrue(blocked.cancelled());
            }
            assertEquals(0.0, now());
        });
    }

    @Test
    void waitForStaysCancellableWhileTheInnerTaskHoldsOffItsCancellation() {
        TestLoops.runVirtual(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(0.3);
                } catch (CancelledError e) {
                    try {
                        Asyncio.sleep(0.3);
                    } catch (CancelledError again) {
                        Asyncio.sleep(0.3);
                    }
                }
                return 42;
            });
            Task<Integer> wait = Asyncio.createTask(() -> Asyncio.waitFor(inner, 0.1));
            wait.cancel();
            assertThrows(CancelledError.class, wait::await);
            assertEquals(42, inner.await());
            assertEquals(0.3, now(), 1e-9);
        });
    }

    @Test
    void taskStaysCancellableAfterAWaitForThatDidNotExpire() {
        TestLoops.runVirtual(() -> {
            boolean[] reachedEnd = {false};
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.waitFor(() -> null, 100);
                Asyncio.sleep(1);
                reachedEnd[0] = true;
            });
            Asyncio.sleep(0);
            assertFalse(task.done());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(reachedEnd[0]);
        });
    }

    @Test
    void runnableCoroutineIsAwaitedWithTheTimeout() {
        TestLoops.runVirtual(() -> {
            int[] steps = {0};
            Asyncio.waitFor(() -> {
                Asyncio.sleep(1);
                steps[0]++;
            }, 2.0);
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
                Asyncio.sleep(5);
                steps[0]++;
            }, Duration.ofSeconds(1)));
            assertEquals(1, steps[0]);
            assertEquals(2.0, now());
        });
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        try (EventLoop other = EventLoop.newEventLoop(new VirtualClock())) {
            TestLoops.runVirtual(() -> {
                Future<String> ok = Asyncio.getRunningLoop().createFuture();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor(ok, Double.NaN));
                assertTrue(e.getMessage().contains("timeoutSeconds") && e.getMessage().contains("NaN"), e.getMessage());
                Future<String> foreign = other.createFuture();
                e = assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor(foreign, 1.0));
                assertTrue(e.getMessage().contains("fut") && e.getMessage().contains("different event loop"), e.getMessage());
                assertThrows(NullPointerException.class, () -> Asyncio.waitFor((Future<String>) null, 1.0));
            });
        }
    }
}
