package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(0, 1, 2, 3, 4), order);
        }
    }

    @Test
    void callbackScheduledDuringAnIterationRunsInTheNextOne() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("c"));
            });
            loop.callSoon(() -> order.add("b"));
            // stop() ends the loop after the current iteration: "c" was scheduled during it.
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("a", "b"), order);
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("a", "b", "c"), order);
        }
    }

    @Test
    void timersWithEqualDeadlinesRunInSchedulingOrder() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<Integer> order = new ArrayList<>();
            double when = loop.time() + 1.0;
            for (int i = 0; i < 20; i++) {
                int n = i;
                loop.callAt(when, () -> order.add(n));
            }
            loop.callAt(when + 0.5, loop::stop);
            loop.runForever();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add(i);
            }
            assertEquals(expected, order);
        }
    }

    @Test
    void timersRunInDeadlineOrderAtTheirDeadline() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            loop.callLater(3.0, () -> seen.add("3s at " + loop.time()));
            loop.callLater(Duration.ofSeconds(1), () -> seen.add("1s at " + loop.time()));
            loop.callLater(2.0, () -> {
                seen.add("2s at " + loop.time());
            });
            loop.callLater(3.0, loop::stop);
            loop.runForever();
            assertEquals(List.of("1s at 1.0", "2s at 2.0", "3s at 3.0"), seen);
        }
    }

    @Test
    void timerHandleReportsItsDeadline() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            TimerHandle h = loop.callLater(2.5, () -> { });
            assertEquals(2.5, h.when(), 1e-9);
            TimerHandle at = loop.callAt(7.0, () -> { });
            assertEquals(7.0, at.when(), 1e-9);
            assertEquals(7_000_000_000L, at.whenNanos());
        }
    }

    @Test
    void cancelledHandlesAndTimersDoNotRun() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            Handle h = loop.callSoon(() -> ran.add("soon"));
            TimerHandle t = loop.callLater(1, () -> ran.add("later"));
            h.cancel();
            t.cancel();
            assertTrue(h.cancelled());
            assertTrue(t.cancelled());
            loop.callLater(2, loop::stop);
            loop.runForever();
            assertEquals(List.of(), ran);
        }
    }

    @Test
    void cancelledTimersDoNotGrowTheHeapWithoutBound() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 1000; i++) {
                    loop.callLater(1000 + i, () -> { }).cancel();
                }
                loop.callSoon(loop::stop);
                loop.runForever();
            }
            // 100,000 cancelled timers were scheduled; asyncio's rule keeps at most about twice the live ones.
            assertTrue(loop.timerCount() <= 2 * TimerHeap.MIN_SCHEDULED_FOR_CLEANUP + 1000,
                    "timers kept: " + loop.timerCount());
        }
    }

    @Test
    void timersCancelledWithinOneCallbackDoNotGrowTheHeap() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            int[] maxSeen = {0};
            loop.callSoon(() -> {
                for (int i = 0; i < 100_000; i++) {
                    loop.callLater(60, () -> { }).cancel();
                    maxSeen[0] = Math.max(maxSeen[0], loop.timerCount());
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(maxSeen[0] <= 2 * TimerHeap.MIN_SCHEDULED_FOR_CLEANUP + 2, "heap grew to " + maxSeen[0]);
        }
    }

    @Test
    void virtualClockJumpsToTheNextTimerWithoutWaiting() {
        long t0 = System.nanoTime();
        double seen = TestLoops.runVirtual(() -> {
            Asyncio.sleep(3600);
            return Asyncio.getRunningLoop().time();
        });
        assertEquals(3600.0, seen, 1e-9);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "an hour of virtual time must not take real time");
    }

    @Test
    void realClockTimeIsMonotonicAndAdvances() throws Exception {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            double a = loop.time();
            double b = loop.time();
            assertTrue(b >= a);
            double slept = loop.runUntilComplete(() -> {
                double start = Asyncio.getRunningLoop().time();
                Asyncio.sleep(0.02);
                return Asyncio.getRunningLoop().time() - start;
            });
            assertTrue(slept >= 0.02, "slept " + slept);
        }
    }

    @Test
    void runningALoopThatIsAlreadyRunningFails() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> {
                error.set(assertThrows(IllegalStateException.class, loop::runForever));
                loop.stop();
            });
            loop.runForever();
            assertEquals("This event loop is already running", error.get().getMessage());
        }
    }

    @Test
    void runningASecondLoopOnTheSameThreadFails() {
        try (EventLoop outer = TestLoops.virtualLoop(); EventLoop inner = TestLoops.virtualLoop()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            outer.callSoon(() -> {
                error.set(assertThrows(IllegalStateException.class, inner::runForever));
                outer.stop();
            });
            outer.runForever();
            assertEquals("Cannot run the event loop while another loop is running", error.get().getMessage());
        }
    }

    @Test
    void closingARunningLoopFails() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> {
                error.set(assertThrows(IllegalStateException.class, loop::close));
                loop.stop();
            });
            loop.runForever();
            assertEquals("Cannot close a running event loop", error.get().getMessage());
            assertFalse(loop.isClosed());
        }
    }

    @Test
    void aClosedLoopRejectsEveryUse() {
        EventLoop loop = TestLoops.virtualLoop();
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        assertEquals("Event loop is closed", assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { })).getMessage());
        assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { }));
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, loop::runForever);
        assertThrows(IllegalStateException.class, () -> loop.createTask(() -> 1));
    }

    @Test
    void getRunningLoopOutsideALoopFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertEquals("no running event loop", e.getMessage());
    }

    @Test
    void isRunningIsTrueOnlyWhileRunning() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            assertFalse(loop.isRunning());
            boolean during = loop.runUntilComplete(() -> Asyncio.getRunningLoop().isRunning());
            assertTrue(during);
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void stopBeforeRunForeverRunsOneIteration() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("first"));
            loop.stop();
            loop.runForever();
            assertEquals(List.of("first"), ran);
        }
    }

    @Test
    void runUntilCompleteFailsWhenTheLoopStopsFirst() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> never = loop.createFuture();
            loop.callLater(1, loop::stop);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
            assertEquals("Event loop stopped before Future completed.", e.getMessage());
        }
    }

    @Test
    void runUntilCompleteRejectsAFutureOfAnotherLoop() {
        try (EventLoop a = TestLoops.virtualLoop(); EventLoop b = TestLoops.virtualLoop()) {
            Future<Integer> f = b.createFuture();
            assertThrows(IllegalArgumentException.class, () -> a.runUntilComplete(f));
        }
    }

    @Test
    void foreignThreadMayNotScheduleOnARunningLoop() throws Exception {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            CompletableFuture<Throwable> fromOtherThread = new CompletableFuture<>();
            loop.callSoon(() -> Thread.ofPlatform().start(() -> {
                try {
                    loop.callSoon(() -> { });
                    fromOtherThread.complete(null);
                } catch (Throwable e) {
                    fromOtherThread.complete(e);
                } finally {
                    loop.callSoonThreadsafe(loop::stop);
                }
            }));
            loop.runForever();
            Throwable e = fromOtherThread.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        }
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedWaiting() throws Exception {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            CountDownLatch running = new CountDownLatch(1);
            loop.callSoon(running::countDown);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    running.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.callSoonThreadsafe(loop::stop);
            });
            // No timers and no I/O: the loop blocks in select until the other thread wakes it.
            loop.runForever();
            other.join();
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void interruptingTheLoopThreadStopsTheLoopInsteadOfSpinning() throws Exception {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Thread loopThread = Thread.currentThread();
            CountDownLatch running = new CountDownLatch(1);
            loop.callSoon(running::countDown);
            Thread interrupter = Thread.ofPlatform().start(() -> {
                try {
                    running.await();
                } catch (InterruptedException e) {
                    return;
                }
                loopThread.interrupt();
            });
            loop.runForever();
            assertTrue(Thread.interrupted(), "runForever must hand the interrupt back");
            interrupter.join();
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void theLoopRunsOnTheCallingThreadOrOnTheVirtualBackendOnAVirtualThreadNamedAfterIt() {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Thread caller = Thread.currentThread();
            Thread[] ranOn = new Thread[1];
            loop.callSoon(() -> {
                ranOn[0] = Thread.currentThread();
                loop.stop();
            });
            loop.runForever();
            if (loop.backendName().equals("virtual")) {
                assertTrue(ranOn[0].isVirtual(), String.valueOf(ranOn[0]));
                assertEquals(caller.getName(), ranOn[0].getName());
            } else {
                assertSame(caller, ranOn[0]);
            }
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void exceptionFromACallbackGoesToTheHandlerWithAsyncioKeys() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            RuntimeException boom = new RuntimeException("boom");
            Handle h = loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(1, errors.size());
            Map<String, Object> ctx = errors.get(0);
            assertSame(boom, ctx.get("exception"));
            assertSame(h, ctx.get("handle"));
            assertTrue(((String) ctx.get("message")).startsWith("Exception in callback"));
        }
    }

    @Test
    void exceptionHandlerThatThrowsIsLoggedAndTheLoopGoesOn() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<LogRecord> logged = captureLog();
            loop.setExceptionHandler((l, ctx) -> {
                throw new IllegalStateException("handler broke");
            });
            List<String> after = new ArrayList<>();
            loop.callSoon(() -> {
                throw new RuntimeException("callback broke");
            });
            loop.callSoon(() -> after.add("still running"));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("still running"), after);
            assertTrue(logged.stream().anyMatch(r -> r.getMessage().contains("Unhandled error in exception handler")));
        } finally {
            releaseLog();
        }
    }

    @Test
    void getExceptionHandlerReturnsTheInstalledOne() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            assertNull(loop.getExceptionHandler());
            ExceptionHandler h = (l, c) -> { };
            loop.setExceptionHandler(h);
            assertSame(h, loop.getExceptionHandler());
            loop.setExceptionHandler(null);
            assertNull(loop.getExceptionHandler());
        }
    }

    @Test
    void defaultExceptionHandlerLogsMessageAndException() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<LogRecord> logged = captureLog();
            RuntimeException e = new RuntimeException("x");
            loop.callExceptionHandler(Map.of("message", "something failed", "exception", e));
            assertTrue(logged.stream().anyMatch(r -> r.getMessage().startsWith("something failed") && r.getThrown() == e));
        } finally {
            releaseLog();
        }
    }

    @Test
    void debugModeLogsSlowCallbacks() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<LogRecord> logged = captureLog();
            loop.setDebug(true);
            assertTrue(loop.getDebug());
            loop.setSlowCallbackDuration(Duration.ofMillis(5));
            assertEquals(Duration.ofMillis(5), loop.getSlowCallbackDuration());
            loop.callSoon(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            loop.callSoon(loop::stop);
            loop.runForever();
            assertTrue(logged.stream().anyMatch(r -> r.getMessage().startsWith("Executing")), "no slow-callback warning");
        } finally {
            releaseLog();
        }
    }

    @Test
    void debugModeRecordsWhereACallbackWasScheduled() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            loop.setDebug(true);
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            loop.callSoon(() -> {
                throw new RuntimeException("x");
            });
            loop.callSoon(loop::stop);
            loop.runForever();
            StackTraceElement[] where = (StackTraceElement[]) errors.get(0).get("source_traceback");
            assertNotNull(where);
            assertTrue(java.util.Arrays.stream(where).anyMatch(f -> f.getMethodName().equals("debugModeRecordsWhereACallbackWasScheduled")));
        }
    }

    @Test
    void negativeSlowCallbackDurationIsRejected() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().contains("-0.001"), e.getMessage());
        }
    }

    @Test
    void nanDelayIsRejectedNamingTheArgument() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
            assertTrue(e.getMessage().contains("delaySeconds"), e.getMessage());
        }
    }

    @Test
    void readerCallbackRunsWhenAChannelBecomesReadable() throws IOException {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            List<String> got = new ArrayList<>();
            loop.addReader(pipe.source(), () -> {
                ByteBuffer buf = ByteBuffer.allocate(16);
                try {
                    int n = pipe.source().read(buf);
                    got.add(new String(buf.array(), 0, n));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertTrue(loop.removeReader(pipe.source()));
                assertFalse(loop.removeReader(pipe.source()));
                loop.stop();
            });
            pipe.sink().write(ByteBuffer.wrap("ping".getBytes()));
            loop.runForever();
            assertEquals(List.of("ping"), got);
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void writerCallbackRunsWhileAChannelIsWritable() throws IOException {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Pipe pipe = Pipe.open();
            pipe.sink().configureBlocking(false);
            int[] calls = {0};
            loop.addWriter(pipe.sink(), () -> {
                if (++calls[0] == 3) {
                    assertTrue(loop.removeWriter(pipe.sink()));
                    loop.stop();
                }
            });
            loop.runForever();
            assertEquals(3, calls[0]);
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void addReaderRejectsABlockingChannel() throws IOException {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Pipe pipe = Pipe.open();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addReader(pipe.source(), () -> { }));
            assertTrue(e.getMessage().contains("non-blocking"), e.getMessage());
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void aChannelCanBeWatchedAgainAfterItsReaderWasRemoved() throws IOException {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            loop.addReader(pipe.source(), () -> { });
            loop.removeReader(pipe.source());
            List<String> got = new ArrayList<>();
            loop.addReader(pipe.source(), () -> {
                got.add("readable");
                loop.removeReader(pipe.source());
                loop.stop();
            });
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            loop.runForever();
            assertEquals(List.of("readable"), got);
            pipe.sink().close();
            pipe.source().close();
        }
    }

    private static final Logger JASYNCIO_LOG = Logger.getLogger("io.jasyncio");
    private static Handler capture;

    private static List<LogRecord> captureLog() {
        List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String msg = record.getMessage();
                if (record.getParameters() != null) {
                    msg = java.text.MessageFormat.format(msg, record.getParameters());
                }
                LogRecord copy = new LogRecord(record.getLevel(), msg);
                copy.setThrown(record.getThrown());
                records.add(copy);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        JASYNCIO_LOG.addHandler(capture);
        return records;
    }

    private static void releaseLog() {
        if (capture != null) {
            JASYNCIO_LOG.removeHandler(capture);
            capture = null;
        }
    }
}
