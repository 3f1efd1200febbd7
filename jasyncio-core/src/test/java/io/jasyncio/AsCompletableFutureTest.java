package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Future.asCompletableFuture: loop futures seen from other threads. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsCompletableFutureTest {

    @Test
    void completesWithTheResultOnTheLoopThread() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("loop")) {
            CompletableFuture<CompletableFuture<String>> handOff = new CompletableFuture<>();
            AtomicReference<Thread> completedOn = new AtomicReference<>();
            // A latch, not cf.get(): a thread blocked in get() may itself run the dependents.
            CountDownLatch dependentRan = new CountDownLatch(1);
            lt.submit(() -> {
                Future<String> f = Asyncio.getRunningLoop().createFuture();
                CompletableFuture<String> cf = f.asCompletableFuture();
                cf.whenComplete((v, e) -> {
                    completedOn.set(Thread.currentThread());
                    dependentRan.countDown();
                });
                handOff.complete(cf);
                Asyncio.sleep(0);
                f.setResult("value");
            });
            dependentRan.await();
            assertEquals("value", handOff.get().join());
            TestLoops.assertRunsTheLoopOf(lt, completedOn.get());
        }
    }

    @Test
    void exceptionIsPassedOnUnchanged() throws Exception {
        IOException thrown = new IOException("boom");
        try (EventLoopThread lt = EventLoopThread.start("loop")) {
            CompletableFuture<Object> cf = lt.submit(() -> {
                Task<Object> t = Asyncio.createTask(() -> {
                    throw thrown;
                });
                return t.asCompletableFuture();
            }).get();
            ExecutionException e = assertThrows(ExecutionException.class, cf::get);
            assertSame(thrown, e.getCause());
        }
    }

    @Test
    void alreadyDoneFutureGivesAnAlreadyCompleteCompletableFuture() {
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            Future<Integer> f = loop.createFuture();
            f.setResult(5);
            CompletableFuture<Integer> cf = f.asCompletableFuture();
            assertTrue(cf.isDone());
            assertEquals(5, cf.join());
        }
    }

    @Test
    void cancellingTheFutureCancelsTheCompletableFuture() {
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            Future<Integer> f = loop.createFuture();
            CompletableFuture<Integer> cf = f.asCompletableFuture();
            loop.runUntilComplete(() -> {
                f.cancel();
                Asyncio.sleep(0);
                return null;
            });
            assertTrue(cf.isCancelled());
            assertThrows(CancellationException.class, cf::join);
        }
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheTask() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("loop")) {
            CompletableFuture<String> observed = new CompletableFuture<>();
            CompletableFuture<CompletableFuture<Void>> handOff = new CompletableFuture<>();
            lt.submit(() -> {
                Task<Void> t = Asyncio.createTask(() -> {
                    try {
                        Asyncio.getRunningLoop().createFuture().await();
                    } catch (CancelledError e) {
                        observed.complete("task cancelled");
                        throw e;
                    }
                });
                handOff.complete(t.asCompletableFuture());
            });
            assertTrue(handOff.get().cancel(true));
            assertEquals("task cancelled", observed.get());
        }
    }

    @Test
    void callableFromAnotherThreadWhileTheLoopRuns() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("loop")) {
            CompletableFuture<Future<String>> handOff = new CompletableFuture<>();
            CompletableFuture<String> result = lt.submit(() -> {
                Future<String> f = Asyncio.getRunningLoop().createFuture();
                handOff.complete(f);
                Asyncio.sleep(1);
                f.setResult("late");
                return "ok";
            });
            CompletableFuture<String> cf = handOff.get().asCompletableFuture();
            assertEquals("late", cf.get());
            assertEquals("ok", result.get());
        }
    }

    @Test
    void cancellingAfterTheLoopClosedDoesNotThrow() {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        Future<Integer> f = loop.createFuture();
        CompletableFuture<Integer> cf = f.asCompletableFuture();
        loop.close();
        assertTrue(cf.cancel(true));
        assertFalse(f.cancelled(), "a closed loop runs nothing, so the future keeps its state");
    }

    @Test
    void completingTheCompletableFutureOtherwiseLeavesTheFutureAlone() {
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            Future<Integer> f = loop.createFuture();
            CompletableFuture<Integer> cf = f.asCompletableFuture();
            cf.complete(1);
            loop.runUntilComplete(() -> {
                Asyncio.sleep(0);
                return null;
            });
            assertFalse(f.done());
        }
    }
}
