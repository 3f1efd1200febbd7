package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls into a loop running on its own thread from the test's (foreign) thread. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunCoroutineThreadsafeTest {
    private EventLoopThread loopThread;
    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loopThread = EventLoopThread.start("test-loop", () -> EventLoop.newEventLoop(new VirtualClock()));
        loop = loopThread.loop();
    }

    @AfterEach
    void stopLoop() {
        loopThread.close();
    }

    @Test
    void resultReachesTheForeignThread() throws Exception {
        CompletableFuture<String> cf = Asyncio.runCoroutineThreadsafe(() -> {
            Asyncio.sleep(1);
            return "done on " + Thread.currentThread().getName();
        }, loop);
        String r = cf.get();
        assertTrue(r.startsWith("done on "), r);
        assertTrue(cf.isDone());
    }

    @Test
    void coroutineRunsAsATaskOfTheLoop() throws Exception {
        CompletableFuture<Boolean> cf = Asyncio.runCoroutineThreadsafe(
                () -> Asyncio.getRunningLoop() == loop && Asyncio.currentTask() != null, loop);
        assertTrue(cf.get());
    }

    @Test
    void exceptionArrivesUnchanged() {
        IOException thrown = new IOException("refused");
        CompletableFuture<Object> cf = Asyncio.runCoroutineThreadsafe(() -> {
            throw thrown;
        }, loop);
        ExecutionException e = assertThrows(ExecutionException.class, cf::get);
        assertSame(thrown, e.getCause());
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheTask() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<String> seen = new CompletableFuture<>();
        CompletableFuture<Void> cf = Asyncio.runCoroutineThreadsafe(() -> {
            Future<Void> never = Asyncio.getRunningLoop().createFuture();
            waiting.countDown();
            try {
                never.await();
            } catch (CancelledError e) {
                seen.complete("cancelled");
                throw e;
            }
        }, loop);
        waiting.await();
        assertTrue(cf.cancel(true));
        assertEquals("cancelled", seen.get());
        assertThrows(CancellationException.class, cf::join);
    }

    @Test
    void cancellingTheTaskCancelsTheCompletableFuture() throws Exception {
        CompletableFuture<Void> cf = Asyncio.runCoroutineThreadsafe(() -> {
            Asyncio.currentTask().cancel();
            Asyncio.sleep(0);
        }, loop);
        assertThrows(CancellationException.class, () -> cf.get(10, TimeUnit.SECONDS));
        assertTrue(cf.isCancelled());
    }

    @Test
    void cancellationBeforeTheLoopPicksTheSubmissionUpStillStartsThenCancelsTheTask() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (EventLoop idle = EventLoop.newEventLoop(new VirtualClock())) {
            CompletableFuture<String> cf = Asyncio.runCoroutineThreadsafe(() -> {
                events.add("started");
                try {
                    Asyncio.sleep(0);
                } catch (CancelledError e) {
                    events.add("cancelled at first suspension");
                    throw e;
                }
                return "finished";
            }, idle);
            assertTrue(cf.cancel(false));
            // The loop picks the submission up only now.
            Future<Void> settle = idle.createFuture();
            idle.callLater(1, () -> settle.setResult(null));
            idle.runUntilComplete(settle);
            assertTrue(cf.isCancelled());
        }
        assertEquals(List.of("started", "cancelled at first suspension"), events);
    }

    @Test
    void taskRunsInACopyOfTheCallersContext() throws Exception {
        ContextVar<String> user = new ContextVar<>("user");
        AtomicReference<String> fromForeignThread = new AtomicReference<>();
        Thread foreign = Thread.ofPlatform().start(() -> {
            user.set("alice");
            try {
                fromForeignThread.set(Asyncio.runCoroutineThreadsafe(() -> {
                    String v = user.get();
                    user.set("changed in task");
                    return v;
                }, loop).get());
            } catch (Exception e) {
                fromForeignThread.set(e.toString());
            }
            assertEquals("alice", user.get(), "the task's changes stay in its own context");
        });
        foreign.join();
        assertEquals("alice", fromForeignThread.get());
    }

    @Test
    void taskFactoryFailureCompletesTheFutureExceptionallyAndReachesTheExceptionHandler() throws Exception {
        IllegalStateException boom = new IllegalStateException("factory broken");
        CompletableFuture<Object> handled = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            loop.setTaskFactory((l, coro, options) -> {
                throw boom;
            });
            loop.setExceptionHandler((l, ctx) -> handled.complete(ctx.get("exception")));
        });
        CompletableFuture<Object> cf = Asyncio.runCoroutineThreadsafe(() -> "never", loop);
        ExecutionException e = assertThrows(ExecutionException.class, cf::get);
        assertSame(boom, e.getCause());
        assertSame(boom, handled.get());
        loop.callSoonThreadsafe(() -> loop.setTaskFactory(null));
    }

    @Test
    void closedLoopRefusesSubmissions() {
        EventLoop closed = EventLoop.newEventLoop();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Asyncio.runCoroutineThreadsafe(() -> 1, closed));
        assertEquals("Event loop is closed", e.getMessage());
    }

    @Test
    void rejectsNullArgumentsByName() {
        assertEquals("coro", assertThrows(NullPointerException.class,
                () -> Asyncio.runCoroutineThreadsafe((AsyncCallable<Object>) null, loop)).getMessage());
        assertEquals("loop", assertThrows(NullPointerException.class,
                () -> Asyncio.runCoroutineThreadsafe(() -> 1, null)).getMessage());
    }

    @Test
    void manyThreadsSubmitConcurrently() throws Exception {
        int threads = 4;
        int perThread = 200;
        List<CompletableFuture<Integer>> all = new CopyOnWriteArrayList<>();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            ts[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int x = base + i;
                    all.add(Asyncio.runCoroutineThreadsafe(() -> {
                        Asyncio.sleep(0);
                        return x;
                    }, loop));
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        long sum = 0;
        for (CompletableFuture<Integer> cf : all) {
            sum += cf.get();
        }
        int n = threads * perThread;
        assertEquals((long) n * (n - 1) / 2, sum);
    }
}
