package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunnerTest {

    @Test
    void runReturnsTheResultOfMain() {
        assertEquals("hello", Asyncio.run(() -> {
            Asyncio.sleep(0);
            return "hello";
        }));
    }

    @Test
    void runRethrowsTheExceptionOfMainUnchanged() {
        IOException io = new IOException("main failed");
        Exception e = assertThrows(Exception.class, () -> TestLoops.runVirtual(() -> {
            throw io;
        }));
        assertSame(io, e);
    }

    @Test
    void runAcceptsAMainWithoutAResult() {
        List<String> ran = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.sleep(0);
            ran.add("main");
        });
        assertEquals(List.of("main"), ran);
    }

    @Test
    void runCancelsTasksLeftPendingAndWaitsForThem() {
        List<String> events = new ArrayList<>();
        TestLoops.runVirtual(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(1000);
                } finally {
                    events.add("leftover cleaned up at " + Asyncio.getRunningLoop().time());
                }
            });
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of("leftover cleaned up at 1.0"), events);
    }

    @Test
    void aLeftoverTaskFailingWhileCancelledIsReported() {
        AtomicReference<Map<String, Object>> reported = new AtomicReference<>();
        IllegalStateException boom = new IllegalStateException("cleanup failed");
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.compareAndSet(null, ctx));
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(1000);
                } finally {
                    throw boom;
                }
            });
            Asyncio.sleep(0);
            return null;
        }, TestLoops::virtualLoop, null);
        assertEquals("unhandled exception during asyncio.run() shutdown", reported.get().get("message"));
        assertSame(boom, reported.get().get("exception"));
    }

    @Test
    void runInsideARunningLoopFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestLoops.runVirtual(() -> Asyncio.run(() -> 1)));
        assertEquals("Runner.run() cannot be called from a running event loop", e.getMessage());
    }

    @Test
    void aRunnerSharesOneLoopAcrossRuns() {
        try (Runner runner = new Runner(TestLoops::virtualLoop, null)) {
            EventLoop first = runner.run(Asyncio::getRunningLoop);
            EventLoop second = runner.run(Asyncio::getRunningLoop);
            assertSame(first, second);
            assertSame(first, runner.getLoop());
            assertFalse(first.isClosed());
        }
    }

    @Test
    void aRunnerSharesOneContextAcrossRuns() {
        ContextVar<String> var = new ContextVar<>("v", "unset");
        try (Runner runner = new Runner(TestLoops::virtualLoop, null)) {
            runner.run(() -> var.set("kept"));
            assertEquals("kept", runner.run(var::get));
            assertEquals("unset", runner.run(var::get, new Context()));
        }
    }

    @Test
    void closingARunnerClosesItsLoopAndForbidsFurtherRuns() {
        Runner runner = new Runner(TestLoops::virtualLoop, null);
        EventLoop loop = runner.getLoop();
        runner.close();
        runner.close();
        assertTrue(loop.isClosed());
        assertEquals("Runner is closed", assertThrows(IllegalStateException.class, () -> runner.run(() -> 1)).getMessage());
    }

    @Test
    void aRunnerAppliesTheDebugFlagToItsLoop() {
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
    }

    @Test
    void aRunnerUsesTheLoopFactory() {
        VirtualClock clock = new VirtualClock();
        double t = Asyncio.run(() -> {
            Asyncio.sleep(90);
            return Asyncio.getRunningLoop().time();
        }, () -> EventLoop.newEventLoop(clock), null);
        assertEquals(90.0, t, 1e-9);
        assertEquals(90_000_000_000L, clock.nanoTime());
    }

    @Test
    void aLoopFactoryReturningNullIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> 1, () -> null, null));
        assertEquals("loopFactory returned null", e.getMessage());
    }

    @Test
    void runWaitsForTheDefaultExecutorAndShutsItDown() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        EventLoop[] loop = new EventLoop[1];
        Asyncio.run(() -> {
            loop[0] = Asyncio.getRunningLoop();
            loop[0].runInExecutor(null, () -> {
                release.await();
                events.add("executor job finished");
                return null;
            });
            release.countDown();
            return null;
        });
        assertEquals(List.of("executor job finished"), events);
        assertTrue(loop[0].isClosed());
    }

    @Test
    void runInExecutorAfterShutdownFails() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.runInExecutor(null, () -> 1).await();
            loop.shutdownDefaultExecutor(Duration.ofSeconds(5));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 2));
            assertEquals("Executor shutdown has been called", e.getMessage());
            return null;
        });
    }

    @Test
    void runSetsTheThreadsCurrentLoopAndClearsItAfterwards() {
        EventLoop seen = Asyncio.run(Asyncio::getEventLoop);
        assertTrue(seen.isClosed());
        assertThrows(IllegalStateException.class, Asyncio::getEventLoop);
    }

    @Test
    void getEventLoopReturnsTheLoopSetForTheThread() {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            Asyncio.setEventLoop(loop);
            assertSame(loop, Asyncio.getEventLoop());
            Asyncio.setEventLoop(null);
            IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getEventLoop);
            assertTrue(e.getMessage().startsWith("There is no current event loop"), e.getMessage());
        } finally {
            loop.close();
        }
    }
}
