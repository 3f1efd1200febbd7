package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Which loop methods other threads may call while the loop runs, and what the others do. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopThreadSafetyTest {

    /** Runs {@code fromForeignThread} on the test thread while {@code loop} runs a waiting task on its own thread. */
    private static void whileLoopRuns(Consumer<EventLoop> fromForeignThread) throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("running-loop")) {
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Void> task = lt.submit(() -> {
                running.countDown();
                Asyncio.sleep(0.05);
            });
            running.await();
            fromForeignThread.accept(lt.loop());
            task.get();
        }
    }

    private static void assertForeignThreadRejected(Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().startsWith("Non-thread-safe operation invoked on an event loop other than the current one"),
                e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        assertTrue(e.getMessage().contains(Thread.currentThread().toString()), e.getMessage());
    }

    @Test
    void nonThreadsafeMethodsFailClearlyFromForeignThreads() throws Exception {
        whileLoopRuns(loop -> {
            assertForeignThreadRejected(() -> loop.callSoon(() -> { }));
            assertForeignThreadRejected(() -> loop.callLater(1, () -> { }));
            assertForeignThreadRejected(() -> loop.callAt(1, () -> { }));
            assertForeignThreadRejected(() -> loop.createTask(() -> null));
            assertForeignThreadRejected(() -> loop.runInExecutor(null, () -> null));
            assertForeignThreadRejected(() -> loop.setDefaultExecutor(Runnable::run));
            assertForeignThreadRejected(loop::stop);
        });
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedWaitingForIo() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("idle-loop")) {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            lt.loop().callSoonThreadsafe(() -> ranOn.complete(Thread.currentThread()));
            TestLoops.assertRunsTheLoopOf(lt, ranOn.get());
        }
    }

    @Test
    void callbacksFromEachThreadRunInTheOrderThatThreadScheduledThem() throws Exception {
        int producers = 4;
        int perProducer = 500;
        List<List<Integer>> seen = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            seen.add(new ArrayList<>());
        }
        CountDownLatch all = new CountDownLatch(producers * perProducer);
        try (EventLoopThread lt = EventLoopThread.start("fifo-loop")) {
            Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++) {
                List<Integer> mine = seen.get(p);
                threads[p] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int n = i;
                        // Only the loop thread touches the list: no lock needed.
                        lt.loop().callSoonThreadsafe(() -> {
                            mine.add(n);
                            all.countDown();
                        });
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            all.await();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perProducer; i++) {
                expected.add(i);
            }
            CompletableFuture<List<List<Integer>>> snapshot = lt.submit(() -> seen);
            for (List<Integer> perThread : snapshot.get()) {
                assertEquals(expected, perThread);
            }
        }
    }

    @Test
    void callbackScheduledFromAForeignThreadRunsInThatThreadsContext() throws Exception {
        ContextVar<String> tenant = new ContextVar<>("tenant", "none");
        try (EventLoopThread lt = EventLoopThread.start("ctx-loop")) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            Thread foreign = Thread.ofPlatform().start(() -> {
                tenant.set("acme");
                lt.loop().callSoonThreadsafe(() -> seen.complete(tenant.get()));
            });
            foreign.join();
            assertEquals("acme", seen.get());
        }
    }

    @Test
    void callSoonThreadsafeOnAClosedLoopFails() {
        EventLoop loop = EventLoop.newEventLoop();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertEquals("Event loop is closed", e.getMessage());
    }
}
