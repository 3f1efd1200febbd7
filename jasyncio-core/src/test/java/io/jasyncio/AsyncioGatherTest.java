package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncioGatherTest {

    private static <T> List<Future<T>> futures(int n) {
        EventLoop loop = Asyncio.getRunningLoop();
        List<Future<T>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(loop.createFuture());
        }
        return list;
    }

    @Test
    void gatherCompletesWithTheResultsInArgumentOrder() {
        TestLoops.runVirtual(() -> {
            for (boolean returnExceptions : new boolean[] {false, true}) {
                List<Future<Integer>> f = futures(3);
                Future<List<Object>> all = Asyncio.gather(f, returnExceptions);
                f.get(1).setResult(1);
                f.get(0).setResult(2);
                Asyncio.sleep(0);
                assertFalse(all.done());
                f.get(2).setResult(3);
                Asyncio.sleep(0);
                assertTrue(all.done());
                assertEquals(List.of(2, 1, 3), all.result());
            }
        });
    }

    @Test
    void gatheredCoroutinesRunConcurrently() {
        TestLoops.runVirtual(() -> {
            List<String> r = Asyncio.gather(() -> Asyncio.sleep(3, "a"), () -> Asyncio.sleep(1, "b"),
                    () -> Asyncio.sleep(2, "c")).await();
            assertEquals(List.of("a", "b", "c"), r);
            assertEquals(3.0, now());
        });
    }

    @Test
    void firstErrorFailsTheGatherAtOnceWhileTheOtherChildrenKeepRunning() {
        TestLoops.runVirtual(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Task<String> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                throw boom;
            });
            Task<String> slow = Asyncio.createTask(() -> Asyncio.sleep(3, "slow"));
            Future<List<String>> all = Asyncio.gather(failing, slow);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, all::await);
            assertSame(boom, e);
            assertEquals(1.0, now());
            assertFalse(slow.done());
            assertEquals("slow", slow.await());
            assertEquals(3.0, now());
        });
    }

    @Test
    void returnExceptionsPutsEachErrorInItsPlace() {
        TestLoops.runVirtual(() -> {
            List<Future<Integer>> f = futures(4);
            Future<List<Object>> all = Asyncio.gather(f, true);
            ArithmeticException exc = new ArithmeticException();
            IllegalStateException exc2 = new IllegalStateException();
            f.get(1).setResult(1);
            f.get(2).setException(exc);
            f.get(0).setResult(3);
            Asyncio.sleep(0);
            assertFalse(all.done());
            f.get(3).setException(exc2);
            assertEquals(Arrays.asList(3, 1, exc, exc2), all.await());
        });
    }

    @Test
    void childCancelledByOthersFailsTheGatherWithCancelledErrorWithoutCancellingIt() {
        TestLoops.runVirtual(() -> {
            List<Future<Integer>> f = futures(5);
            Future<List<Integer>> all = Asyncio.gather(f);
            f.get(0).setResult(1);
            f.get(1).cancel();
            Asyncio.sleep(0);
            assertTrue(all.done());
            assertFalse(all.cancelled());
            assertInstanceOf(CancelledError.class, all.exception());
            assertThrows(CancelledError.class, all::await);
            // Later outcomes change nothing.
            f.get(2).setResult(3);
            f.get(3).cancel();
            f.get(4).setException(new IllegalStateException());
            Asyncio.sleep(0);
            assertInstanceOf(CancelledError.class, all.exception());
        });
    }

    @Test
    void returnExceptionsReportsACancelledChildAsCancelledErrorWithItsMessage() {
        TestLoops.runVirtual(() -> {
            List<Future<Integer>> f = futures(6);
            Future<List<Object>> all = Asyncio.gather(f, true);
            f.get(0).setResult(1);
            ArithmeticException zde = new ArithmeticException();
            f.get(1).setException(zde);
            f.get(2).cancel("stop");
            Asyncio.sleep(0);
            assertFalse(all.done());
            f.get(3).setResult(3);
            f.get(4).cancel();
            IllegalStateException rte = new IllegalStateException();
            f.get(5).setException(rte);
            List<Object> res = all.await();
            assertInstanceOf(CancelledError.class, res.get(2));
            assertEquals("stop", ((CancelledError) res.get(2)).getMessage());
            assertInstanceOf(CancelledError.class, res.get(4));
            assertNull(((CancelledError) res.get(4)).getMessage());
            assertEquals(Arrays.asList(1, zde, res.get(2), 3, res.get(4), rte), res);
        });
    }

    @Test
    void cancellingTheTaskAwaitingAGatherCancelsEveryChild() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> waiter = loop.createFuture();
            int[] proof = {0};
            AsyncRunnable inner = () -> {
                waiter.await();
                proof[0]++;
            };
            Task<Void> child1 = Asyncio.createTask(inner);
            Task<Void> child2 = Asyncio.createTask(inner);
            List<Future<List<Void>>> gatherer = new ArrayList<>();
            Task<Void> outer = Asyncio.createTask(() -> {
                gatherer.add(Asyncio.gather(child1, child2));
                gatherer.get(0).await();
                proof[0] += 100;
            });
            Asyncio.sleep(0);
            assertTrue(outer.cancel());
            assertThrows(CancelledError.class, outer::await);
            assertFalse(gatherer.get(0).cancel());
            assertTrue(waiter.cancelled());
            assertTrue(child1.cancelled());
            assertTrue(child2.cancelled());
            Asyncio.sleep(0);
            assertEquals(0, proof[0]);
        });
    }

    @Test
    void cancellingAGatherWithReturnExceptionsStillRaisesCancelledError() {
        TestLoops.runVirtual(() -> {
            Task<Integer> a = Asyncio.createTask(() -> Asyncio.sleep(1, 1));
            Task<Integer> b = Asyncio.createTask(() -> Asyncio.sleep(2, 2));
            Future<List<Object>> all = Asyncio.gather(List.of(a, b), true);
            Asyncio.sleep(0);
            assertTrue(all.cancel("enough"));
            assertFalse(all.done());
            CancelledError e = assertThrows(CancelledError.class, all::await);
            assertEquals("enough", e.getMessage());
            assertFalse(all.cancelled());
            assertTrue(a.cancelled());
            assertTrue(b.cancelled());
            assertEquals(0.0, now());
        });
    }

    @Test
    void taskCancelledWhileAwaitingAGatherWithReturnExceptionsGetsTheCancelMessage() {
        TestLoops.runVirtual(() -> {
            Task<Void> looping = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.gather(List.of((AsyncRunnable) () -> Asyncio.sleep(0.05)), true).await();
                }
            });
            Asyncio.sleep(0.2);
            looping.cancel("my message");
            CancelledError e = assertThrows(CancelledError.class, looping::await);
            assertEquals("my message", e.getMessage());
            assertTrue(looping.cancelled());
        });
    }

    @Test
    void cancelRefusedOnceEveryChildIsDoneAndTheResultStands() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> fut = loop.createFuture();
            Future<List<Integer>> all = Asyncio.gather(() -> fut.await());
            Asyncio.sleep(0);
            boolean[] cancelResult = {true};
            fut.addDoneCallback(f -> cancelResult[0] = all.cancel());
            fut.setResult(42);
            assertEquals(List.of(42), all.await());
            assertFalse(cancelResult[0]);
            assertFalse(all.cancelled());
        });
    }

    @Test
    void emptyGatherIsAlreadyDoneWithAnEmptyList() {
        TestLoops.runVirtual(() -> {
            Future<List<Object>> all = Asyncio.gather(List.of(), false);
            assertTrue(all.done());
            assertEquals(List.of(), all.result());
            assertSame(Asyncio.getRunningLoop(), all.getLoop());
        });
    }

    @Test
    void gatherOfDoneFuturesIsDoneOnReturn() {
        TestLoops.runVirtual(() -> {
            List<Future<String>> f = futures(2);
            f.get(0).setResult("x");
            f.get(1).setResult("y");
            Future<List<String>> all = Asyncio.gather(f);
            assertTrue(all.done());
            assertEquals(List.of("x", "y"), all.result());
        });
    }

    @Test
    void futureGivenTwiceIsAwaitedOnceAndItsResultAppearsTwice() {
        TestLoops.runVirtual(() -> {
            List<Future<Integer>> f = futures(2);
            Future<List<Integer>> all = Asyncio.gather(f.get(0), f.get(0), f.get(1));
            f.get(0).setResult(1);
            f.get(1).setResult(2);
            assertEquals(List.of(1, 1, 2), all.await());
        });
    }

    @Test
    void manyArgumentsWithRepeatsAreDeduplicatedToo() {
        TestLoops.runVirtual(() -> {
            int[] runs = new int[12];
            List<AsyncCallable<Integer>> coros = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                coros.add(() -> {
                    runs[n]++;
                    return n;
                });
            }
            List<Object> args = new ArrayList<>(coros);
            args.add(coros.get(3));
            args.add(coros.get(0));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 3, 0), Asyncio.gather(args, false).await());
            for (int r : runs) {
                assertEquals(1, r);
            }
        });
    }

    @Test
    void coroutineGivenTwiceRunsOnceAsAsyncioDoesWithACoroutineObject() {
        TestLoops.runVirtual(() -> {
            int[] runs = {0};
            AsyncCallable<String> c = () -> {
                runs[0]++;
                return "abc";
            };
            List<String> r = Asyncio.gather(c, c, () -> "def", c).await();
            assertEquals(List.of("abc", "abc", "def", "abc"), r);
            assertEquals(1, runs[0]);
        });
    }

    @Test
    void duplicateChildIsCancelledOncePerOccurrence() {
        TestLoops.runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> Asyncio.sleep(1, 1));
            Future<List<Integer>> all = Asyncio.gather(t, t);
            Asyncio.sleep(0);
            assertTrue(all.cancel());
            assertEquals(2, t.cancelling());
            assertThrows(CancelledError.class, all::await);
        });
    }

    @Test
    void nullArgumentIsRejectedNamingItsPosition() {
        TestLoops.runVirtual(() -> {
            Future<Integer> ok = Asyncio.getRunningLoop().createFuture();
            NullPointerException e = assertThrows(NullPointerException.class, () -> Asyncio.gather(ok, null));
            assertEquals("futures[1] is null", e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Asyncio.gather(Arrays.asList(ok, null), true));
            assertEquals("aws[1] is null", e.getMessage());
        });
    }

    @Test
    void futuresOfDifferentLoopsAreRejected() {
        try (EventLoop other = EventLoop.newEventLoop(new VirtualClock())) {
            TestLoops.runVirtual(() -> {
                Future<Integer> here = Asyncio.getRunningLoop().createFuture();
                Future<Integer> there = other.createFuture();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(here, there));
                assertTrue(e.getMessage().contains("futures[1]") && e.getMessage().contains("different event loop"),
                        e.getMessage());
            });
        }
    }

    @Test
    void gatherOfAnotherLoopsFuturesBelongsToThatLoop() {
        try (EventLoop other = EventLoop.newEventLoop(new VirtualClock())) {
            Future<Integer> a = other.createFuture();
            Future<Integer> b = other.createFuture();
            Future<List<Integer>> all = Asyncio.gather(a, b);
            assertSame(other, all.getLoop());
            other.callSoon(() -> {
                a.setResult(1);
                b.setResult(2);
            });
            assertEquals(List.of(1, 2), other.runUntilComplete(all));
        }
    }

    @Test
    void coroutinesWithoutACurrentLoopAreRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.gather(() -> 1));
        assertTrue(e.getMessage().contains("no current event loop"), e.getMessage());
    }

    @Test
    void unsupportedAwaitableIsRejectedNamingItsType() {
        TestLoops.runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(List.of("ok"), false));
            assertTrue(e.getMessage().contains("aws[0]") && e.getMessage().contains("java.lang.String"), e.getMessage());
        });
    }

    @Test
    void gatherAcceptsEveryKindOfAwaitable() {
        TestLoops.runVirtual(() -> {
            Future<String> future = Asyncio.getRunningLoop().createFuture();
            future.setResult("future");
            AsyncCallable<String> callable = () -> Asyncio.sleep(1, "callable");
            AsyncRunnable runnable = () -> Asyncio.sleep(2);
            CompletableFuture<String> stage = CompletableFuture.completedFuture("stage");
            List<Object> r = Asyncio.gather(List.of(future, callable, runnable, stage), false).await();
            assertEquals(Arrays.asList("future", "callable", null, "stage"), r);
            assertEquals(2.0, now());
        });
    }

    @Test
    void gatherOfATypedTaskListGivesTypedResults() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(n, n * n)));
            }
            List<Integer> squares = Asyncio.gather(tasks).await();
            assertEquals(List.of(1, 4, 9, 16), squares);
            assertEquals(4.0, now());
        });
    }

    @Test
    void nestedGatherPassesACancelledChildOnAsCancelledError() {
        TestLoops.runVirtual(() -> {
            List<Future<Integer>> f = futures(1);
            Future<List<Integer>> inner = Asyncio.gather(f);
            Future<List<List<Integer>>> outer = Asyncio.gather(inner);
            f.get(0).cancel();
            assertThrows(CancelledError.class, outer::await);
            assertFalse(outer.cancelled());
            assertInstanceOf(CancelledError.class, inner.exception());
        });
    }
}
