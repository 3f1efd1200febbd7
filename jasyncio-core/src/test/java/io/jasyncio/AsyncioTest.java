package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncioTest {

    @Test
    void sleepZeroYieldsExactlyOneIteration() {
        List<String> events = TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> e = new ArrayList<>();
            loop.callSoon(() -> {
                e.add("first callback");
                loop.callSoon(() -> e.add("scheduled during the yield"));
            });
            Asyncio.sleep(0);
            e.add("resumed");
            Asyncio.sleep(0);
            return e;
        });
        assertEquals(List.of("first callback", "resumed", "scheduled during the yield"), events);
    }

    @Test
    void sleepSuspendsForTheGivenLoopTime() {
        double[] times = TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.sleep(2.5);
            double a = loop.time();
            Asyncio.sleep(Duration.ofMillis(500));
            return new double[] {a, loop.time()};
        });
        assertEquals(2.5, times[0], 1e-9);
        assertEquals(3.0, times[1], 1e-9);
    }

    @Test
    void sleepWithAResultReturnsIt() {
        assertEquals("r", TestLoops.runVirtual(() -> Asyncio.sleep(1, "r")));
    }

    @Test
    void negativeSleepYieldsLikeZero() {
        double t = TestLoops.runVirtual(() -> {
            Asyncio.sleep(-5);
            return Asyncio.getRunningLoop().time();
        });
        assertEquals(0.0, t);
    }

    @Test
    void sleepRejectsNaN() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestLoops.runVirtual(() -> {
            Asyncio.sleep(Double.NaN);
            return null;
        }));
        assertTrue(e.getMessage().contains("NaN"));
    }

    @Test
    void sleepOutsideATaskFails() {
        assertThrows(IllegalStateException.class, () -> Asyncio.sleep(1));
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<Throwable> errors = new ArrayList<>();
            loop.callSoon(() -> {
                try {
                    Asyncio.sleep(1);
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
                loop.stop();
            });
            loop.runForever();
            assertEquals("sleep() called outside a task", errors.get(0).getMessage());
        }
    }

    @Test
    void cancellingASleepingTaskInterruptsTheSleep() {
        double t = TestLoops.runVirtual(() -> {
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(100));
            Asyncio.getRunningLoop().callLater(3, sleeper::cancel);
            assertThrows(CancelledError.class, sleeper::await);
            return Asyncio.getRunningLoop().time();
        });
        assertEquals(3.0, t, 1e-9);
    }

    @Test
    void aCancelledSleepLeavesNoTimerBehind() {
        int timers = TestLoops.runVirtual(() -> {
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(100));
            Asyncio.sleep(0);
            sleeper.cancel();
            assertThrows(CancelledError.class, sleeper::await);
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.sleep(0);
            return loop.timerCount();
        });
        assertEquals(0, timers);
    }

    @Test
    void isFutureRecognisesFuturesAndTasks() {
        TestLoops.runVirtual(() -> {
            assertTrue(Asyncio.isFuture(Asyncio.getRunningLoop().createFuture()));
            assertTrue(Asyncio.isFuture(Asyncio.currentTask()));
            assertFalse(Asyncio.isFuture(new CompletableFuture<>()));
            assertFalse(Asyncio.isFuture(null));
            return null;
        });
    }

    @Test
    void isCoroutineFunctionRecognisesCoroutineFunctions() {
        AsyncCallable<Integer> c = () -> 1;
        AsyncRunnable r = () -> { };
        assertTrue(Asyncio.isCoroutineFunction(c));
        assertTrue(Asyncio.isCoroutineFunction(r));
        assertFalse(Asyncio.isCoroutineFunction((Runnable) () -> { }));
    }

    @Test
    void isCoroutineRecognisesWhatCreateTaskTakesAsACoroutine() {
        AsyncCallable<Integer> c = () -> 1;
        AsyncRunnable r = () -> { };
        assertTrue(Asyncio.isCoroutine(c));
        assertTrue(Asyncio.isCoroutine(r));
        assertFalse(Asyncio.isCoroutine((Runnable) () -> { }));
        assertFalse(Asyncio.isCoroutine(new CompletableFuture<>()));
        assertFalse(Asyncio.isCoroutine(null));
    }

    @Test
    void ensureFutureAcceptsFuturesCoroutinesAndCompletionStages() {
        TestLoops.runVirtual(() -> {
            Future<Integer> f = Asyncio.getRunningLoop().createFuture();
            assertSame(f, Asyncio.ensureFuture(f));
            Future<Integer> fromCoro = Asyncio.ensureFuture((AsyncCallable<Integer>) () -> 4);
            assertInstanceOf(Task.class, fromCoro);
            assertEquals(4, fromCoro.await());
            Future<Object> fromRunnable = Asyncio.ensureFuture((AsyncRunnable) () -> { });
            assertNull(fromRunnable.await());
            Future<String> fromStage = Asyncio.ensureFuture(CompletableFuture.completedFuture("cf"));
            assertEquals("cf", fromStage.await());
            return null;
        });
    }

    @Test
    void ensureFutureRejectsOtherObjectsNamingTheirType() {
        TestLoops.runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.ensureFuture("text"));
            assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Asyncio.ensureFuture(null));
            return null;
        });
    }

    @Test
    void createTaskWithoutARunningLoopFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.createTask(() -> 1));
        assertEquals("no running event loop", e.getMessage());
    }

    @Test
    void toThreadRunsOffTheLoopAndReturnsTheResult() {
        String r = Asyncio.run(() -> {
            Thread loopThread = Thread.currentThread();
            String name = Asyncio.toThread(() -> Thread.currentThread() == loopThread ? "on the loop" : "elsewhere");
            assertSame(loopThread, Thread.currentThread());
            return name;
        });
        assertEquals("elsewhere", r);
    }
}
