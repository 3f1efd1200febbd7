package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asyncio.await(CompletionStage) and Asyncio.wrapFuture: CompletableFutures seen from tasks. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AwaitCompletionStageTest {

    private static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    @Test
    void awaitReturnsTheValueCompletedByAnotherThreadAndResumesOnTheLoop() {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "producer"));
        try {
            String r = runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                CompletableFuture<String> cf = CompletableFuture.supplyAsync(
                        () -> "made by " + Thread.currentThread().getName(), pool);
                String v = Asyncio.await(cf);
                assertSame(loop, Asyncio.getRunningLoop());
                return v;
            });
            assertEquals("made by producer", r);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void awaitOfACompletedStageStillGoesThroughTheLoop() {
        runVirtual(() -> {
            CompletableFuture<Integer> done = CompletableFuture.completedFuture(7);
            Task<String> other = Asyncio.createTask(() -> "other ran");
            assertEquals(7, Asyncio.await(done));
            assertTrue(other.done(), "awaiting suspended the task for at least one loop iteration");
            return null;
        });
    }

    @Test
    void exceptionArrivesUnwrappedFromCompletionException() {
        IOException cause = new IOException("reset by peer");
        Exception seen = runVirtual(() -> {
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletionStage<Integer> dependent = source.thenApply(String::length);
            source.completeExceptionally(cause);
            try {
                Asyncio.await(dependent);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(cause, seen);
    }

    @Test
    void cancelledStageRaisesCancelledErrorInTheTask() {
        runVirtual(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            cf.cancel(false);
            assertThrows(CancelledError.class, () -> Asyncio.await(cf));
            return null;
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheCompletableFuture() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        runVirtual(() -> {
            Task<String> waiter = Asyncio.createTask(() -> Asyncio.await(cf));
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            Asyncio.sleep(0);
            return null;
        });
        assertTrue(cf.isCancelled());
    }

    @Test
    void cancelOfTheWrapperCancelsAPendingStage() {
        CompletableFuture<Integer> cf = new CompletableFuture<>();
        runVirtual(() -> {
            Future<Integer> f = Asyncio.wrapFuture(cf);
            assertTrue(f.cancel());
            Asyncio.sleep(0);
            assertTrue(f.cancelled());
            return null;
        });
        assertTrue(cf.isCancelled());
    }

    @Test
    void cancelOfTheWrapperAfterTheStageCompletedKeepsTheStageResult() {
        CompletableFuture<Integer> cf = new CompletableFuture<>();
        runVirtual(() -> {
            Future<Integer> f = Asyncio.wrapFuture(cf);
            cf.complete(42);
            assertTrue(f.cancel(), "the result is not delivered yet: the wrapper is still pending");
            Asyncio.sleep(0);
            assertTrue(f.cancelled());
            return null;
        });
        assertFalse(cf.isCancelled());
        assertEquals(42, cf.join());
    }

    @Test
    void wrapFutureUsesTheLoopSetForTheThreadWhenNoneRuns() {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        try {
            Asyncio.setEventLoop(loop);
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = Asyncio.wrapFuture(cf);
            assertSame(loop, f.getLoop());
            cf.complete("x");
            assertEquals("x", loop.runUntilComplete(f));
        } finally {
            Asyncio.setEventLoop(null);
            loop.close();
        }
    }

    @Test
    void virtualClockWaitsForAPendingStageInsteadOfJumpingOverTimers() {
        String first = runVirtual(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Task<String> timer = Asyncio.createTask(() -> Asyncio.sleep(5.0, "timer"));
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cf.complete("stage");
            });
            String r = Asyncio.await(cf);
            String winner = timer.done() ? "timer" : r;
            timer.cancel();
            return winner;
        });
        assertEquals("stage", first);
    }

    @Test
    void awaitOutsideATaskFailsWithoutTouchingTheStage() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        CompletableFuture<String> cf = new CompletableFuture<>();
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            loop.callSoon(() -> {
                try {
                    Asyncio.await(cf);
                } catch (Throwable e) {
                    error.set(e);
                }
                loop.stop();
            });
            loop.runForever();
        }
        assertInstanceOf(IllegalStateException.class, error.get());
        assertEquals("await() called outside a task", error.get().getMessage());
        assertEquals(0, cf.getNumberOfDependents());
    }

    @Test
    void awaitingAnotherLoopsCoroutinePassesWorkBetweenLoops() throws Exception {
        try (EventLoopThread other = EventLoopThread.start("other-loop")) {
            CountDownLatch started = new CountDownLatch(1);
            String r = runVirtual(() -> {
                EventLoop mine = Asyncio.getRunningLoop();
                String there = Asyncio.await(Asyncio.runCoroutineThreadsafe(() -> {
                    started.countDown();
                    assertNotSame(mine, Asyncio.getRunningLoop());
                    return "computed on " + Thread.currentThread().getName();
                }, other.loop()));
                assertSame(mine, Asyncio.getRunningLoop());
                return there;
            });
            assertEquals(0, started.getCount());
            assertTrue(r.startsWith("computed on"), r);
        }
    }

    @Test
    void cancellationCrossesLoops() throws Exception {
        try (EventLoopThread other = EventLoopThread.start("other-loop")) {
            CompletableFuture<String> remoteSaw = new CompletableFuture<>();
            CountDownLatch remoteWaiting = new CountDownLatch(1);
            runVirtual(() -> {
                Task<Object> local = Asyncio.createTask(() -> Asyncio.await(Asyncio.runCoroutineThreadsafe(() -> {
                    Future<Object> never = Asyncio.getRunningLoop().createFuture();
                    remoteWaiting.countDown();
                    try {
                        return never.await();
                    } catch (CancelledError e) {
                        remoteSaw.complete("remote task cancelled");
                        throw e;
                    }
                }, other.loop())));
                Asyncio.toThread(() -> {
                    remoteWaiting.await();
                    return null;
                });
                local.cancel();
                assertThrows(CancelledError.class, local::await);
                return null;
            });
            assertEquals("remote task cancelled", remoteSaw.get());
        }
    }
}
