package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunInExecutorTest {

    private static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** An executor that only queues: the test decides when (and whether) each job runs. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> queued = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable command) {
            queued.add(command);
        }

        synchronized Runnable next() {
            return queued.poll();
        }
    }

    @Test
    void runsTheFunctionOnTheGivenExecutor() {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "given-pool"));
        try {
            String name = runVirtual(() -> Asyncio.getRunningLoop()
                    .runInExecutor(pool, () -> Thread.currentThread().getName()).await());
            assertEquals("given-pool", name);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nullExecutorMeansTheDefaultExecutor() {
        String name = runVirtual(() -> Asyncio.getRunningLoop()
                .runInExecutor(null, () -> Thread.currentThread().getName()).await());
        assertTrue(name.startsWith("jasyncio-executor-"), name);
    }

    @Test
    void defaultExecutorIsVirtualThreadsExceptOnTheVirtualThreadBackend() {
        boolean[] virtualJob = new boolean[1];
        String backend = runVirtual(() -> {
            virtualJob[0] = Asyncio.toThread(() -> Thread.currentThread().isVirtual());
            return Asyncio.getRunningLoop().backendName();
        });
        assertEquals(!backend.equals("virtual"), virtualJob[0], "backend " + backend);
    }

    @Test
    void setDefaultExecutorIsUsedForNull() {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-default"));
        try {
            String name = runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                loop.setDefaultExecutor(pool);
                return Asyncio.toThread(() -> Thread.currentThread().getName());
            });
            assertEquals("my-default", name);
            assertTrue(pool.isShutdown(), "Asyncio.run shuts the default executor down, whoever set it");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runInExecutorDoesNotCarryContextVariables() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        String seen = runVirtual(() -> {
            var.set("task value");
            return Asyncio.getRunningLoop().runInExecutor(null, var::get).await();
        });
        assertEquals("unset", seen);
    }

    @Test
    void cancellingBeforeTheExecutorStartsTheJobKeepsItFromRunning() {
        ManualExecutor executor = new ManualExecutor();
        AtomicBoolean ran = new AtomicBoolean();
        runVirtual(() -> {
            Future<Boolean> f = Asyncio.getRunningLoop().runInExecutor(executor, () -> ran.getAndSet(true));
            assertTrue(f.cancel());
            executor.next().run();
            Asyncio.sleep(0);
            assertTrue(f.cancelled());
            return null;
        });
        assertFalse(ran.get());
    }

    @Test
    void outcomeArrivingAfterCancellationIsDropped() {
        ManualExecutor executor = new ManualExecutor();
        List<Object> handled = new CopyOnWriteArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setExceptionHandler((l, ctx) -> handled.add(ctx));
            AtomicReference<Future<String>> f = new AtomicReference<>();
            CountDownLatch release = new CountDownLatch(1);
            f.set(loop.runInExecutor(executor, () -> {
                release.await();
                throw new IllegalStateException("never seen");
            }));
            Runnable job = executor.next();
            Thread worker = Thread.ofPlatform().start(job);
            Asyncio.sleep(0);
            f.get().cancel();
            release.countDown();
            worker.join();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(f.get().cancelled());
            return null;
        });
        assertEquals(List.of(), handled);
    }

    @Test
    void cancelledErrorThrownByTheFunctionCancelsTheFuture() {
        CancelledError thrown = new CancelledError("from the thread");
        runVirtual(() -> {
            Future<Object> f = Asyncio.getRunningLoop().runInExecutor(null, () -> {
                throw thrown;
            });
            CancelledError seen = assertThrows(CancelledError.class, f::await);
            assertSame(thrown, seen);
            assertTrue(f.cancelled());
            return null;
        });
    }

    @Test
    void rejectedJobPropagatesRejectionAndLeavesNoWorkBehind() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        double elapsed = runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(RejectedExecutionException.class, () -> loop.runInExecutor(dead, () -> 1));
            // Nothing may count as pending work: the virtual clock still jumps over a long sleep.
            double t0 = loop.time();
            Asyncio.sleep(3600);
            return loop.time() - t0;
        });
        assertEquals(3600.0, elapsed, 1e-6);
    }

    @Test
    void virtualClockStopsWaitingForACancelledJob() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            double elapsed = runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<Object> t = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                    release.await();
                    return null;
                }));
                Asyncio.sleep(0);
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                double t0 = loop.time();
                Asyncio.sleep(3600);
                double slept = loop.time() - t0;
                // Let the job end, or Asyncio.run's own shutdown would wait for it (300 s).
                release.countDown();
                return slept;
            });
            assertEquals(3600.0, elapsed, 1e-6);
        } finally {
            release.countDown();
        }
    }

    @Test
    void nullFunctionIsRejectedByName() {
        runVirtual(() -> {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> Asyncio.getRunningLoop().runInExecutor(null, null));
            assertEquals("fn", e.getMessage());
            NullPointerException e2 = assertThrows(NullPointerException.class,
                    () -> Asyncio.getRunningLoop().setDefaultExecutor(null));
            assertEquals("executor", e2.getMessage());
            return null;
        });
    }

    @Test
    void closedLoopRefusesNewJobs() {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1));
        assertEquals("Event loop is closed", e.getMessage());
    }

    // ---------------------------------------------------------------- shutdownDefaultExecutor

    @Test
    void shutdownWaitsForRunningWorkThenRefusesNewWork() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean jobFinished = new AtomicBoolean();
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<Object> job = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                release.await();
                jobFinished.set(true);
                return null;
            }));
            Asyncio.sleep(0);
            loop.runInExecutor(Runnable::run, () -> {
                started.await();
                return null;
            }).await();
            Task<Void> shutdown = Asyncio.createTask(() -> loop.shutdownDefaultExecutor(null));
            for (int i = 0; i < 20; i++) {
                Asyncio.sleep(0);
            }
            assertFalse(shutdown.done(), "shutdown returned while a job was still running");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> Asyncio.toThread(() -> 1));
            assertEquals("Executor shutdown has been called", refused.getMessage());
            release.countDown();
            shutdown.await();
            assertTrue(jobFinished.get());
            job.await();
            return null;
        });
    }

    @Test
    void shutdownWithoutDefaultExecutorReturnsAtOnceAndStillRefusesLaterWork() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double t0 = loop.time();
            loop.shutdownDefaultExecutor(Duration.ofSeconds(1));
            assertEquals(t0, loop.time());
            assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1));
            assertEquals(7, loop.runInExecutor(Runnable::run, () -> 7).await(), "explicit executors still work");
            return null;
        });
    }

    @Test
    void shutdownTimeoutLogsAWarningAndLeavesTheJobRunning() {
        CountDownLatch release = new CountDownLatch(1);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = capture(warnings);
        Logger jul = Logger.getLogger("io.jasyncio");
        jul.addHandler(handler);
        try {
            double waited = runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Asyncio.createTask(() -> Asyncio.toThread(() -> {
                    release.await();
                    return null;
                }));
                Asyncio.sleep(0);
                double t0 = loop.time();
                loop.shutdownDefaultExecutor(Duration.ofMillis(50));
                double waitedHere = loop.time() - t0;
                // Let the job end, or Asyncio.run's own shutdown would wait for it (300 s).
                release.countDown();
                return waitedHere;
            });
            assertTrue(waited >= 0.05, "waited " + waited);
        } finally {
            release.countDown();
            jul.removeHandler(handler);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("did not finish joining its threads within 0.05")), warnings.toString());
    }

    @Test
    void shutdownOutsideATaskIsRejected() {
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.shutdownDefaultExecutor(null));
            assertTrue(e.getMessage().contains("must be called from a task"), e.getMessage());
        }
    }

    @Test
    void asyncioRunWaitsForExecutorJobsBeforeReturning() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        runVirtual(() -> {
            Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                release.await();
                finished.set(true);
                return null;
            }));
            Asyncio.sleep(0);
            Asyncio.getRunningLoop().runInExecutor(Runnable::run, () -> {
                started.await();
                return null;
            }).await();
            release.countDown();
            return null;
        });
        assertTrue(finished.get(), "Asyncio.run returned before the default executor's job finished");
    }

    static Handler capture(List<String> messages) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                String msg = record.getMessage();
                Object[] params = record.getParameters();
                messages.add(params == null ? msg : java.text.MessageFormat.format(msg, params));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
