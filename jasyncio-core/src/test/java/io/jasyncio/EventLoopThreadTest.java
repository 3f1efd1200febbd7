package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopThreadTest {

    @Test
    void runsTheLoopOnItsOwnNamedThread() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("my-loop")) {
            assertEquals("my-loop", lt.thread().getName());
            CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
            lt.loop().callSoonThreadsafe(() -> callbackThread.complete(Thread.currentThread()));
            TestLoops.assertRunsTheLoopOf(lt, callbackThread.get());
            assertTrue(lt.submit(() -> Asyncio.getRunningLoop() == lt.loop()).get());
        }
    }

    @Test
    void workSubmittedRightAfterStartRuns() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("eager")) {
            assertEquals(3, lt.submit(() -> 1 + 2).get());
        }
    }

    @Test
    void closeCancelsPendingTasksShutsDownTheExecutorAndClosesTheLoop() throws Exception {
        EventLoopThread lt = EventLoopThread.start("closing");
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        CompletableFuture<Void> forever = lt.submit(() -> {
            waiting.countDown();
            try {
                Asyncio.getRunningLoop().createFuture().await();
            } catch (CancelledError e) {
                sawCancel.set(true);
                throw e;
            }
        });
        CountDownLatch jobStarted = new CountDownLatch(1);
        AtomicBoolean jobFinished = new AtomicBoolean();
        lt.submit(() -> Asyncio.toThread(() -> {
            jobStarted.countDown();
            jobFinished.set(true);
            return null;
        }));
        waiting.await();
        jobStarted.await();
        lt.close();
        assertTrue(sawCancel.get());
        assertTrue(forever.isCancelled());
        assertTrue(jobFinished.get());
        assertTrue(lt.loop().isClosed());
        assertFalse(lt.thread().isAlive());
        assertThrows(IllegalStateException.class, () -> lt.submit(() -> 1));
        lt.close();
    }

    @Test
    void closeFromTheLoopItselfIsRejected() throws Exception {
        try (EventLoopThread lt = EventLoopThread.start("self")) {
            Throwable e = lt.submit(() -> {
                try {
                    lt.close();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }).get();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("it would wait for itself"), e.getMessage());
        }
    }

    @Test
    void twoLoopsPassWorkBothWays() throws Exception {
        try (EventLoopThread a = EventLoopThread.start("loop-a");
             EventLoopThread b = EventLoopThread.start("loop-b")) {
            String r = a.submit(() -> {
                String fromB = Asyncio.await(b.submit(() -> {
                    String fromA = Asyncio.await(a.submit(() -> "a"));
                    return fromA + "b";
                }));
                return fromB + "a";
            }).get();
            assertEquals("aba", r);
        }
    }

    @Test
    void rejectsNullArguments() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> EventLoopThread.start(null)).getMessage());
        assertEquals("loopFactory", assertThrows(NullPointerException.class,
                () -> EventLoopThread.start("x", null)).getMessage());
        assertEquals("loopFactory returned null", assertThrows(NullPointerException.class,
                () -> EventLoopThread.start("x", () -> null)).getMessage());
    }
}
