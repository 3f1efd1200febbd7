package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsyncioWaitTest {

    private static Task<Void> sleeper(double seconds) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds));
    }

    @Test
    void allCompletedReturnsWhenEveryFutureIsDone() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
            assertEquals(0.15, now(), 1e-9);
            // Again, with everything done: no time passes.
            r = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(0.15, now(), 1e-9);
        });
    }

    @Test
    void firstCompletedReturnsAsSoonAsOneIsDone() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = sleeper(0.1);
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertFalse(a.done());
            assertNull(b.result());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void futuresThatFinishWhileTheWaiterWakesAreReportedDone() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = Asyncio.createTask(() -> Asyncio.sleep(0));
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                Asyncio.sleep(0);
            });
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(a, b), r.done());
        });
    }

    @Test
    void firstExceptionReturnsAfterOneIterationWhenAFutureAlreadyFailed() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = Asyncio.createTask(() -> {
                throw new ArithmeticException("err");
            });
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertEquals(0.0, now());
        });
    }

    @Test
    void firstExceptionReturnsWhenAFutureFailsDuringTheWait() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw new ArithmeticException("err");
            });
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertEquals(0.01, now(), 1e-9);
        });
    }

    @Test
    void firstExceptionDoesNotCountACancelledFuture() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(1);
            Task<Void> b = sleeper(10);
            Asyncio.sleep(0);
            b.cancel();
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(a, b), r.done());
            assertEquals(1.0, now());
        });
    }

    @Test
    void firstExceptionWithoutFailuresWaitsForAll() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.15);
                throw new ArithmeticException("really");
            });
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a));
            assertEquals(2, r.done().size());
            assertEquals(1, r.done().stream().filter(f -> f.exception() != null).count());
            assertEquals(0.15, now(), 1e-9);
        });
    }

    @Test
    void timeoutReturnsTheDoneAndPendingSetsWithoutCancellingAnything() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), 0.11, ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            assertEquals(0.11, now(), 1e-9);
            assertFalse(b.cancelled());
            b.await();
            assertEquals(0.15, now(), 1e-9);
        });
    }

    @Test
    void timeoutAsDurationAndOneDueTogetherWithAFuture() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            Asyncio.sleep(0);  // the tasks start, so their timers come before the wait's
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(b, a), Duration.ofMillis(100), ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void nonPositiveTimeoutReturnsAfterOneIteration() {
        TestLoops.runVirtual(() -> {
            Task<Void> a = sleeper(1);
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(a), -1, ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(a), r.pending());
            assertEquals(0.0, now());
        });
    }

    @Test
    void duplicatesCountOnce() {
        TestLoops.runVirtual(() -> {
            Task<String> c = Asyncio.createTask(() -> "test");
            Task<String> spam = Asyncio.createTask(() -> "spam");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(c, c, spam));
            assertEquals(List.of(c, spam), new ArrayList<>(r.done()));
            assertTrue(r.pending().isEmpty());
        });
    }

    @Test
    void waitSuspendsOnceEvenWhenEveryFutureIsDone() {
        TestLoops.runVirtual(() -> {
            Future<Integer> f = Asyncio.getRunningLoop().createFuture();
            f.setResult(1);
            boolean[] ran = {false};
            Asyncio.getRunningLoop().callSoon(() -> ran[0] = true);
            Asyncio.wait(List.of(f));
            assertTrue(ran[0]);
        });
    }

    @Test
    void cancellingTheWaitingTaskLeavesTheFuturesRunning() {
        TestLoops.runVirtual(() -> {
            Future<Void> waiter = Asyncio.getRunningLoop().createFuture();
            int[] proof = {0};
            Task<Void> inner = Asyncio.createTask(() -> {
                waiter.await();
                proof[0]++;
            });
            Task<Void> outer = Asyncio.createTask(() -> {
                Asyncio.wait(List.of(inner));
                proof[0] += 100;
            });
            Asyncio.sleep(0);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertFalse(inner.done());
            waiter.setResult(null);
            inner.await();
            assertEquals(1, proof[0]);
        });
    }

    @Test
    void resultSetsKeepTheGivenOrderAndCannotBeModified() {
        TestLoops.runVirtual(() -> {
            Task<Void> c = sleeper(3);
            Task<Void> a = sleeper(1);
            Task<Void> b = sleeper(2);
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(c, a, b));
            assertEquals(List.of(c, a, b), new ArrayList<>(r.done()));
            assertThrows(UnsupportedOperationException.class, () -> r.done().clear());
            assertThrows(UnsupportedOperationException.class, () -> r.pending().add(a));
        });
    }

    @Test
    void emptyCollectionIsRejected() {
        TestLoops.runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.<Future<?>>of()));
            assertTrue(e.getMessage().contains("fs") && e.getMessage().contains("empty"), e.getMessage());
        });
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        try (EventLoop other = EventLoop.newEventLoop(new VirtualClock())) {
            TestLoops.runVirtual(() -> {
                Future<Integer> ok = Asyncio.getRunningLoop().createFuture();
                NullPointerException npe = assertThrows(NullPointerException.class, () -> Asyncio.wait(Arrays.asList(ok, null)));
                assertEquals("fs[1] is null", npe.getMessage());
                npe = assertThrows(NullPointerException.class, () -> Asyncio.wait(List.of(ok), (ReturnWhen) null));
                assertEquals("returnWhen", npe.getMessage());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.wait(List.of(ok), Double.NaN, ReturnWhen.ALL_COMPLETED));
                assertTrue(e.getMessage().contains("timeoutSeconds") && e.getMessage().contains("NaN"), e.getMessage());
                Future<Integer> foreign = other.createFuture();
                e = assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.of(ok, foreign)));
                assertTrue(e.getMessage().contains("fs[1]") && e.getMessage().contains("different event loop"), e.getMessage());
            });
        }
    }

    @Test
    void waitOutsideATaskIsRejected() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> f = loop.createFuture();
            Future<Throwable> outcome = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    Asyncio.wait(List.of(f));
                    outcome.setResult(null);
                } catch (IllegalStateException e) {
                    outcome.setResult(e);
                }
            });
            assertInstanceOf(IllegalStateException.class, outcome.await());
        });
    }
}
