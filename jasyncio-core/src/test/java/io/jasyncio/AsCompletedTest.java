package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsCompletedTest {

    private static Task<String> after(double seconds, String value) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds, value));
    }

    @Test
    void iterationYieldsTheOriginalFuturesInCompletionOrder() {
        TestLoops.runVirtual(() -> {
            Task<String> c = after(3, "c");
            Task<String> a = after(1, "a");
            Task<String> b = after(2, "b");
            List<Future<String>> order = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(c, a, b))) {
                order.add(f);
                times.add(now());
                assertTrue(f.done());
            }
            assertEquals(3, order.size());
            assertSame(a, order.get(0));
            assertSame(b, order.get(1));
            assertSame(c, order.get(2));
            assertEquals(List.of(1.0, 2.0, 3.0), times);
        });
    }

    @Test
    void awaitablesYieldResultsInCompletionOrder() {
        TestLoops.runVirtual(() -> {
            List<Task<String>> tasks = List.of(after(0.15, "c"), after(0.01, "a"), after(0.01, "b"));
            List<String> values = new ArrayList<>();
            for (AsyncCallable<String> next : Asyncio.asCompleted(tasks).awaitables()) {
                values.add(next.call());
            }
            assertEquals(List.of("c", "a", "b").size(), values.size());
            assertEquals(Set.of("a", "b"), Set.copyOf(values.subList(0, 2)));
            assertEquals("c", values.get(2));
            assertEquals(0.15, now(), 1e-9);
        });
    }

    @Test
    void timeoutRaisesOnTheIterationThatPassesTheDeadline() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0.1, "a");
            Task<String> b = after(0.15, "b");
            List<String> values = new ArrayList<>();
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), 0.12).iterator();
            values.add(it.next().result());
            assertEquals(0.1, now(), 1e-9);
            assertTrue(it.hasNext());
            assertThrows(TimeoutError.class, it::next);
            assertEquals(0.12, now(), 1e-9);
            assertEquals(List.of("a"), values);
            assertFalse(b.cancelled());
            assertEquals("b", b.await());
        });
    }

    @Test
    void timeoutRaisesFromTheAwaitableThatPassesTheDeadline() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0.1, "a");
            Task<String> b = after(0.15, "b");
            List<Object> values = new ArrayList<>();
            for (AsyncCallable<String> next : Asyncio.asCompleted(List.of(a, b), 0.12).awaitables()) {
                try {
                    values.add(next.call());
                } catch (TimeoutError e) {
                    values.add(e);
                }
            }
            assertEquals("a", values.get(0));
            assertInstanceOf(TimeoutError.class, values.get(1));
            assertEquals(0.12, now(), 1e-9);
        });
    }

    @Test
    void timeoutIsCountedFromTheAsCompletedCall() {
        TestLoops.runVirtual(() -> {
            Task<String> slow = after(5, "slow");
            AsCompleted<String> completed = Asyncio.asCompleted(List.of(slow), java.time.Duration.ofSeconds(1));
            Asyncio.sleep(0.5);
            Iterator<Future<String>> it = completed.iterator();
            assertThrows(TimeoutError.class, it::next);
            assertEquals(1.0, now());
        });
    }

    @Test
    void everyIterationAfterTheDeadlineRaisesTimeoutErrorAndNothingIsCancelled() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(5, "a");
            Task<String> b = after(6, "b");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), 1).iterator();
            assertThrows(TimeoutError.class, it::next);
            assertThrows(TimeoutError.class, it::next);
            assertFalse(it.hasNext());
            assertEquals(1.0, now());
            assertFalse(a.cancelled());
            assertFalse(b.cancelled());
        });
    }

    @Test
    void futuresCompletedBeforeTheDeadlineAreStillDeliveredFirst() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0.1, "a");
            Task<String> b = after(5, "b");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), 0.2).iterator();
            Asyncio.sleep(0.3);
            assertSame(a, it.next());
            assertThrows(TimeoutError.class, it::next);
            assertEquals(0.3, now(), 1e-9);
        });
    }

    @Test
    void unusedTimeoutNeverFires() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0.01, "a");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a), 1).iterator();
            assertEquals("a", it.next().result());
            assertFalse(it.hasNext());
            Asyncio.sleep(2);
            assertThrows(NoSuchElementException.class, it::next);
        });
    }

    @Test
    void iterationResumesWhereTheLastOneStopped() {
        TestLoops.runVirtual(() -> {
            for (boolean plain : new boolean[] {false, true}) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    tasks.add(Asyncio.createTask(() -> n));
                }
                AsCompleted<Integer> completed = Asyncio.asCompleted(tasks);
                List<Integer> collected = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    if (plain) {
                        for (AsyncCallable<Integer> next : completed.awaitables()) {
                            collected.add(next.call());
                            if (collected.size() == 2) {
                                break;
                            }
                        }
                    } else {
                        for (Future<Integer> f : completed) {
                            collected.add(f.result());
                            if (collected.size() == 2) {
                                break;
                            }
                        }
                    }
                }
                assertEquals(Set.of(0, 1, 2, 3), Set.copyOf(collected), "plain=" + plain);
                assertEquals(4, collected.size());
            }
        });
    }

    @Test
    void awaitableResolvesToTheNextCompletionWhenCalledNotWhenObtained() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0.05, "a");
            Task<String> b = after(0.10, "b");
            List<AsyncCallable<String>> awaitables = new ArrayList<>();
            Asyncio.asCompleted(List.of(a, b)).awaitables().forEach(awaitables::add);
            assertEquals(2, awaitables.size());
            assertEquals("a", awaitables.get(1).call());
            assertEquals(0.05, now(), 1e-9);
            assertEquals("b", awaitables.get(0).call());
            assertEquals(0.10, now(), 1e-9);
        });
    }

    @Test
    void awaitablesCanBeAwaitedConcurrently() {
        TestLoops.runVirtual(() -> {
            List<Task<String>> tasks = List.of(after(0.05, "a"), after(0.05, "b"));
            List<Task<String>> waiting = new ArrayList<>();
            for (AsyncCallable<String> next : Asyncio.asCompleted(tasks).awaitables()) {
                waiting.add(Asyncio.createTask(next));
            }
            WaitResult<Task<String>> r = Asyncio.wait(waiting);
            assertEquals(Set.of("a", "b"), Set.of(waiting.get(0).result(), waiting.get(1).result()));
            assertEquals(2, r.done().size());
        });
    }

    @Test
    void aFutureGivenTwiceIsDeliveredOnce() {
        TestLoops.runVirtual(() -> {
            Task<String> ham = after(0, "ham");
            Task<String> spam = after(0, "spam");
            List<String> result = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(ham, ham, spam))) {
                result.add(f.result());
            }
            assertEquals(List.of("ham", "spam"), result);
        });
    }

    @Test
    void emptyCollectionYieldsNothing() {
        TestLoops.runVirtual(() -> {
            AsCompleted<Object> completed = Asyncio.asCompleted(List.<Future<Object>>of(), 1);
            assertFalse(completed.iterator().hasNext());
            assertFalse(completed.awaitables().iterator().hasNext());
        });
    }

    @Test
    void awaitableCanBeCalledOnlyOnce() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(0, "a");
            Task<String> b = after(1, "b");
            AsyncCallable<String> first = Asyncio.asCompleted(List.of(a, b)).awaitables().iterator().next();
            assertEquals("a", first.call());
            assertThrows(IllegalStateException.class, first::call);
        });
    }

    @Test
    void cancelledWaiterLosesNothing() {
        TestLoops.runVirtual(() -> {
            Task<String> a = after(1, "a");
            Task<String> b = after(2, "b");
            AsCompleted<String> completed = Asyncio.asCompleted(List.of(a, b));
            Task<Future<String>> waiter = Asyncio.createTask(() -> completed.iterator().next());
            Asyncio.sleep(0.5);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            List<Future<String>> delivered = new ArrayList<>();
            for (Future<String> f : completed) {
                delivered.add(f);
            }
            assertEquals(List.of(a, b), delivered);
            assertEquals(2.0, now());
        });
    }

    @Test
    void waiterCancelledAfterBeingWokenPassesTheCompletionOn() {
        TestLoops.runVirtual(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            Future<String> g = Asyncio.getRunningLoop().createFuture();
            AsCompleted<String> completed = Asyncio.asCompleted(List.of(f, g));
            Task<Future<String>> first = Asyncio.createTask(() -> completed.iterator().next());
            Task<Future<String>> second = Asyncio.createTask(() -> completed.iterator().next());
            Asyncio.sleep(0);
            f.setResult("x");
            Asyncio.sleep(0);  // the completion wakes the first waiter...
            first.cancel();    // ...which is cancelled before it runs
            assertThrows(CancelledError.class, first::await);
            assertSame(f, second.await());
            g.setResult("y");
            assertSame(g, completed.iterator().next());
        });
    }

    @Test
    void failedFuturesAreHandedBackByIterationAndRaisedByAwaitables() {
        TestLoops.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> failing = Asyncio.createTask(() -> {
                throw boom;
            });
            Future<String> f = Asyncio.asCompleted(List.of(failing)).iterator().next();
            assertSame(boom, f.exception());
            Task<String> failingAgain = Asyncio.createTask(() -> {
                throw boom;
            });
            AsyncCallable<String> next = Asyncio.asCompleted(List.of(failingAgain)).awaitables().iterator().next();
            assertSame(boom, assertThrows(IllegalStateException.class, next::call));
        });
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        try (EventLoop other = EventLoop.newEventLoop(new VirtualClock())) {
            TestLoops.runVirtual(() -> {
                Future<String> ok = Asyncio.getRunningLoop().createFuture();
                NullPointerException npe = assertThrows(NullPointerException.class, () -> Asyncio.asCompleted(Arrays.asList(ok, null)));
                assertEquals("fs[1] is null", npe.getMessage());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.asCompleted(List.of(ok), Double.NaN));
                assertTrue(e.getMessage().contains("timeoutSeconds"), e.getMessage());
                Future<String> foreign = other.createFuture();
                e = assertThrows(IllegalArgumentException.class, () -> Asyncio.asCompleted(List.of(foreign)));
                assertTrue(e.getMessage().contains("fs[0]") && e.getMessage().contains("different event loop"), e.getMessage());
            });
        }
    }

    @Test
    void asCompletedWithoutACurrentLoopIsRejected() {
        assertThrows(IllegalStateException.class, () -> Asyncio.asCompleted(List.<Future<Object>>of()));
    }
}
