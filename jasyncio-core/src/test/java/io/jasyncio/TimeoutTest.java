package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    @Test
    void timeoutExpiresAtItsDeadlineWithTimeoutErrorCausedByTheCancellation() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(5.0);
            TimeoutError e = assertThrows(TimeoutError.class, () -> t.run(() -> Asyncio.sleep(60)));
            assertEquals(5.0, now());
            assertTrue(t.expired());
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void timeoutAtExpiresAtTheGivenLoopTime() {
        TestLoops.runVirtual(() -> {
            Asyncio.sleep(1);
            double deadline = now() + 2.5;
            Timeout t = Asyncio.timeoutAt(deadline);
            assertThrows(TimeoutError.class, () -> t.run(() -> Asyncio.sleep(60)));
            assertEquals(3.5, now());
            assertEquals(deadline, t.when());
        });
    }

    @Test
    void timeoutWithDurationExpiresAfterThatDuration() {
        TestLoops.runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(1500), () -> Asyncio.sleep(60)));
            assertEquals(1.5, now());
        });
    }

    @Test
    void bodyFinishingInTimeReturnsItsResultAndDeadlineStaysAhead() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(10);
            int r = t.run(() -> Asyncio.sleep(1, 7));
            assertEquals(7, r);
            assertEquals(1.0, now());
            assertFalse(t.expired());
            assertEquals(10.0, t.when());
        });
    }

    @Test
    void runnableBodyRunsUnderTheDeadline() {
        TestLoops.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            Asyncio.timeout(2.0, () -> {
                Asyncio.sleep(1);
                log.add("done");
            });
            assertEquals(List.of("done"), log);
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(2.0, () -> {
                Asyncio.sleep(5);
            }));
            assertEquals(3.0, now());
        });
    }

    @Test
    void bodySeesCancelledErrorBeforeTheBlockRaisesTimeoutError() {
        TestLoops.runVirtual(() -> {
            boolean[] cancelled = {false};
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
            }));
            assertTrue(cancelled[0]);
        });
    }

    @Test
    void nestedTimeoutsWithTheSameDeadlineRaiseTimeoutErrorOnlyFromTheOutermost() {
        TestLoops.runVirtual(() -> {
            double deadline = now() + 1;
            Timeout outer = Asyncio.timeoutAt(deadline);
            Timeout inner = Asyncio.timeoutAt(deadline);
            boolean[] innerSawCancellation = {false};
            assertThrows(TimeoutError.class, () -> outer.run(() -> {
                try {
                    inner.run(() -> Asyncio.sleep(10));
                } catch (CancelledError e) {
                    innerSawCancellation[0] = true;
                    throw e;
                }
            }));
            assertTrue(innerSawCancellation[0]);
            assertTrue(outer.expired());
            assertTrue(inner.expired());
            assertEquals(1.0, now());
        });
    }

    @Test
    void innerTimeoutFiringFirstIsCaughtAndTheOuterBlockContinues() {
        TestLoops.runVirtual(() -> {
            Timeout outer = Asyncio.timeout(10);
            String r = outer.run(() -> {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(5)));
                assertEquals(1.0, now());
                Asyncio.sleep(2);
                return "outer finished";
            });
            assertEquals("outer finished", r);
            assertEquals(3.0, now());
            assertFalse(outer.expired());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void outerTimeoutFiringFirstPassesThroughTheInnerTimeoutAsCancellation() {
        TestLoops.runVirtual(() -> {
            Timeout inner = Asyncio.timeout(10);
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> inner.run(() -> Asyncio.sleep(5))));
            assertFalse(inner.expired());
            assertEquals(1.0, now());
        });
    }

    @Test
    void outerTimeoutStopsWorkAfterAnInnerTimeoutWasCaught() {
        TestLoops.runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(3, () -> {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(10)));
                Asyncio.sleep(10);
            }));
            assertEquals(3.0, now());
        });
    }

    @Test
    void timeoutsThatBothExpiredWhileTheLoopWasBusyRaiseOnlyFromTheOuter() {
        TestLoops.runVirtual(() -> {
            VirtualClock clock = (VirtualClock) Asyncio.getRunningLoop().clock();
            Timeout inner = Asyncio.timeout(0.01);
            boolean[] passedInner = {false};
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.1, () -> {
                // The inner timeout lets the cancellation through: the outer one also asked for it.
                inner.run(() -> {
                    clock.advance(Duration.ofMillis(100));  // the loop is busy past both deadlines
                    Asyncio.sleep(1);
                });
                passedInner[0] = true;
            }));
            assertFalse(passedInner[0]);
            assertTrue(inner.expired());
            assertEquals(0.1, now(), 1e-9);
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void nullDelayNeverExpires() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout((Duration) null);
            assertNull(t.when());
            t.run(() -> Asyncio.sleep(3600));
            assertFalse(t.expired());
            assertEquals(3600.0, now());
        });
    }

    @Test
    void timeoutAtNullNeverExpires() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeoutAt(null);
            t.run(() -> Asyncio.sleep(100));
            assertFalse(t.expired());
            assertNull(t.when());
        });
    }

    @Test
    void zeroDelayExpiresOnTheNextLoopIteration() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(0);
            assertThrows(TimeoutError.class, () -> t.run(() -> Asyncio.sleep(10)));
            assertTrue(t.expired());
            assertEquals(0.0, now());
            assertEquals(0.0, t.when());
        });
    }

    @Test
    void zeroDelayInterruptsEvenASleepOfZero() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(0);
            assertThrows(TimeoutError.class, () -> t.run(() -> Asyncio.sleep(0)));
            assertTrue(t.expired());
        });
    }

    @Test
    void deadlineInThePastExpiresOnTheNextLoopIteration() {
        TestLoops.runVirtual(() -> {
            Asyncio.sleep(20);
            Timeout t = Asyncio.timeout(-11);
            assertEquals(9.0, t.when());
            assertThrows(TimeoutError.class, () -> t.run(() -> Asyncio.sleep(0)));
            assertEquals(20.0, now());
        });
    }

    @Test
    void foreignExceptionPassesThroughAnUnexpiredTimeout() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(1);
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.run(() -> {
                throw boom;
            }));
            assertSame(boom, e);
            assertEquals(0, e.getSuppressed().length);
            assertFalse(t.expired());
        });
    }

    @Test
    void checkedExceptionOfTheBodyPropagatesUnchanged() {
        TestLoops.runVirtual(() -> {
            java.io.IOException io = new java.io.IOException("disk");
            Throwable e = assertThrows(java.io.IOException.class, () -> Asyncio.timeout(1, () -> {
                throw io;
            }));
            assertSame(io, e);
        });
    }

    @Test
    void exceptionRaisedWhileExpiringPropagatesWithASuppressedTimeoutError() {
        TestLoops.runVirtual(() -> {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> Asyncio.timeout(0.5, () -> {
                try {
                    Asyncio.sleep(1);
                } catch (CancelledError cancelled) {
                    throw new ArithmeticException("/ by zero in cleanup");
                }
            }));
            assertEquals(1, e.getSuppressed().length);
            assertInstanceOf(TimeoutError.class, e.getSuppressed()[0]);
            assertEquals(0.5, now());
        });
    }

    @Test
    void cancellationFromOutsideWithoutExpiryStaysACancellation() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(10);
            assertThrows(CancelledError.class, () -> t.run(() -> {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(10);
            }));
            assertFalse(t.expired());
            assertEquals(0.0, now());
        });
    }

    @Test
    void timeoutFiringTogetherWithAnOutsideCancellationLetsTheCancellationWin() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Timeout[] timeout = new Timeout[1];
            Task<Void> task = Asyncio.createTask(() -> {
                timeout[0] = Asyncio.timeout(1);
                timeout[0].run(() -> Asyncio.sleep(10));
            });
            Asyncio.sleep(0);
            // Due at the same time as the timeout, and scheduled after it: it fires second.
            loop.callAt(1.0, task::cancel);
            assertThrows(CancelledError.class, task::await);
            assertTrue(task.cancelled());
            assertTrue(timeout[0].expired());
            assertEquals(1.0, now());
        });
    }

    @Test
    void taskThatHandlesTheTimeoutIsNotCancelled() {
        TestLoops.runVirtual(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.001, () -> Asyncio.sleep(10)));
                Asyncio.sleep(1);
                return "went on";
            });
            assertEquals("went on", task.await());
            assertFalse(task.cancelled());
            assertEquals(0, task.cancelling());
        });
    }

    @Test
    void bodyThatSwallowsTheExpiryCancellationReturnsItsValue() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(1);
            int r = t.run(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    return 42;
                }
                return 0;
            });
            assertEquals(42, r);
            assertTrue(t.expired());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void rescheduleMovesTheDeadlineLaterOrRemovesIt() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Timeout t = Asyncio.timeoutAt(10.0);
            Future<Timeout> entered = loop.createFuture();
            Task<Void> task = Asyncio.createTask(() -> t.run(() -> {
                entered.setResult(t);
                Asyncio.sleep(50);
            }));
            entered.await();
            assertEquals(10.0, t.when());
            t.reschedule(30.0);
            assertEquals(30.0, t.when());
            t.reschedule(null);
            assertNull(t.when());
            Asyncio.sleep(40);
            assertFalse(task.done());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(t.expired());
            assertEquals(40.0, now());
        });
    }

    @Test
    void rescheduleInsideTheBlockExpiresAtTheNewDeadline() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(100);
            assertThrows(TimeoutError.class, () -> t.run(() -> {
                Asyncio.sleep(1);
                t.reschedule(now() + 2);
                Asyncio.sleep(100);
            }));
            assertEquals(3.0, now());
        });
    }

    @Test
    void rescheduleToThePastExpiresOnTheNextLoopIteration() {
        TestLoops.runVirtual(() -> {
            Asyncio.sleep(5);
            Timeout t = Asyncio.timeout(100);
            assertThrows(TimeoutError.class, () -> t.run(() -> {
                t.reschedule(1.0);
                Asyncio.sleep(100);
            }));
            assertEquals(5.0, now());
            assertEquals(1.0, t.when());
        });
    }

    @Test
    void rescheduleIsRejectedOutsideTheActiveBlock() {
        TestLoops.runVirtual(() -> {
            Timeout notEntered = Asyncio.timeout(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> notEntered.reschedule(2.0));
            assertTrue(e.getMessage().contains("has not been entered"), e.getMessage());

            Timeout finished = Asyncio.timeout(1);
            finished.run(() -> null);
            e = assertThrows(IllegalStateException.class, () -> finished.reschedule(2.0));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());

            Timeout expired = Asyncio.timeout(0.5);
            assertThrows(TimeoutError.class, () -> expired.run(() -> Asyncio.sleep(1)));
            e = assertThrows(IllegalStateException.class, () -> expired.reschedule(2.0));
            assertTrue(e.getMessage().contains("expired"), e.getMessage());

            Timeout expiring = Asyncio.timeout(0.5);
            expiring.run(() -> {
                assertThrows(CancelledError.class, () -> Asyncio.sleep(1));
                IllegalStateException inside = assertThrows(IllegalStateException.class, () -> expiring.reschedule(2.0));
                assertTrue(inside.getMessage().contains("expiring"), inside.getMessage());
            });
        });
    }

    @Test
    void timeoutCannotBeEnteredTwice() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(1);
            t.run(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.run(() -> null));
                assertTrue(e.getMessage().contains("has already been entered"), e.getMessage());
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.run(() -> null));
            assertTrue(e.getMessage().contains("has already been entered"), e.getMessage());
        });
    }

    @Test
    void timeoutOutsideATaskIsRejectedAndStaysUnentered() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Timeout t = Asyncio.timeout(1);
            Future<Throwable> outcome = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    t.run(() -> null);
                    outcome.setResult(null);
                } catch (IllegalStateException e) {
                    outcome.setResult(e);
                }
            });
            Throwable e = outcome.await();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("task"), e.getMessage());
            IllegalStateException later = assertThrows(IllegalStateException.class, () -> t.reschedule(2.0));
            assertTrue(later.getMessage().contains("has not been entered"), later.getMessage());
        });
    }

    @Test
    void nanDeadlinesAreRejectedNamingTheArgument() {
        TestLoops.runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.timeout(Double.NaN));
            assertTrue(e.getMessage().contains("delaySeconds") && e.getMessage().contains("NaN"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Asyncio.timeoutAt(Double.NaN));
            assertTrue(e.getMessage().contains("when") && e.getMessage().contains("NaN"), e.getMessage());
            Timeout t = Asyncio.timeout(1);
            t.run(() -> {
                IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> t.reschedule(Double.NaN));
                assertTrue(inside.getMessage().contains("when"), inside.getMessage());
            });
        });
    }

    @Test
    void timeoutAfterACaughtCancellationStillRaisesTimeoutError() {
        TestLoops.runVirtual(() -> {
            try {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(1);
            } catch (CancelledError expected) {
                // The task goes on with one cancellation request left pending.
            }
            assertEquals(1, Asyncio.currentTask().cancelling());
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, () -> Asyncio.sleep(1)));
            assertEquals(1, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void cancellationInsideATimeoutAfterACaughtCancellationStaysACancellation() {
        TestLoops.runVirtual(() -> {
            try {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(1);
            } catch (CancelledError expected) {
                // The task goes on with one cancellation request left pending.
            }
            assertThrows(CancelledError.class, () -> Asyncio.timeout(1.0, () -> {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(2);
            }));
            assertEquals(0.0, now());
        });
    }

    @Test
    void timeoutInsideTheCleanupOfAnExpiredTimeoutWorks() {
        TestLoops.runVirtual(() -> {
            TimeoutError outer = assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    TimeoutError inner = assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(10)));
                    assertInstanceOf(CancelledError.class, inner.getCause());
                }
            }));
            assertInstanceOf(CancelledError.class, outer.getCause());
            assertEquals(2.0, now());
        });
    }

    @Test
    void firedTimeoutWithdrawsItsCancellationRequest() {
        TestLoops.runVirtual(() -> {
            Task<?> self = Asyncio.currentTask();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(2)));
            assertEquals(0, self.cancelling());
            Asyncio.sleep(5);
            assertEquals(6.0, now());
        });
    }

    @Test
    void expiredTimeoutDoesNotFireAgainAfterTheBlock() {
        TestLoops.runVirtual(() -> {
            Timeout t = Asyncio.timeout(5);
            t.run(() -> Asyncio.sleep(1));
            Asyncio.sleep(10);
            assertFalse(t.expired());
            assertEquals(11.0, now());
        });
    }

    @Test
    void toStringShowsTheStateAsAsyncioReprDoes() {
        TestLoops.runVirtual(() -> {
            Timeout active = Asyncio.timeout(10);
            assertEquals("Timeout[created]", active.toString());
            active.run(() -> assertEquals("Timeout[active when=10.0]", active.toString()));
            assertEquals("Timeout[finished]", active.toString());
            Timeout expired = Asyncio.timeout(0.01);
            assertThrows(TimeoutError.class, () -> expired.run(() -> Asyncio.sleep(10)));
            assertEquals("Timeout[expired]", expired.toString());
            Timeout disabled = Asyncio.timeoutAt(null);
            disabled.run(() -> assertEquals("Timeout[active when=null]", disabled.toString()));
        });
    }
}
