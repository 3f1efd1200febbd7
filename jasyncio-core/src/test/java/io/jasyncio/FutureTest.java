package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FutureTest {

    @Test
    void resultOfAPendingFutureIsAnInvalidState() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            assertFalse(f.done());
            assertEquals("Result is not ready.", assertThrows(InvalidStateError.class, f::result).getMessage());
            assertEquals("Exception is not set.", assertThrows(InvalidStateError.class, f::exception).getMessage());
        }
    }

    @Test
    void settingAResultTwiceIsAnInvalidState() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            f.setResult(1);
            InvalidStateError e = assertThrows(InvalidStateError.class, () -> f.setResult(2));
            assertTrue(e.getMessage().startsWith("FINISHED"), e.getMessage());
            assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
            assertEquals(1, f.result());
            assertNull(f.exception());
        }
    }

    @Test
    void aCancelledFutureRejectsResults() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            assertTrue(f.cancel());
            InvalidStateError e = assertThrows(InvalidStateError.class, () -> f.setResult(1));
            assertTrue(e.getMessage().startsWith("CANCELLED"), e.getMessage());
        }
    }

    @Test
    void cancelReturnsFalseOnceDone() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            f.setResult(3);
            assertFalse(f.cancel());
            assertFalse(f.cancelled());
            Future<Integer> g = loop.createFuture();
            assertTrue(g.cancel());
            assertFalse(g.cancel());
        }
    }

    @Test
    void aCancelledFutureRaisesCancelledErrorWithItsMessage() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            f.cancel("stop now");
            assertTrue(f.cancelled());
            assertTrue(f.done());
            assertEquals("stop now", assertThrows(CancelledError.class, f::result).getMessage());
            assertEquals("stop now", assertThrows(CancelledError.class, f::exception).getMessage());
        }
    }

    @Test
    void resultRethrowsTheStoredExceptionUnchanged() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            IOException io = new IOException("disk gone");
            f.setException(io);
            Exception thrown = assertThrows(Exception.class, f::result);
            assertSame(io, thrown);
            assertSame(io, f.exception());
        }
    }

    @Test
    void setExceptionRejectsNullAndCancelledError() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            NullPointerException npe = assertThrows(NullPointerException.class, () -> f.setException(null));
            assertEquals("exception", npe.getMessage());
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> f.setException(new CancelledError("x")));
            assertTrue(iae.getMessage().contains("CancelledError"), iae.getMessage());
            assertFalse(f.done());
        }
    }

    @Test
    void doneCallbacksAreScheduledNotCalledInline() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            List<String> events = new ArrayList<>();
            f.addDoneCallback(x -> events.add("callback " + x.result()));
            f.setResult(7);
            events.add("after setResult");
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("after setResult", "callback 7"), events);
        }
    }

    @Test
    void doneCallbacksRunInRegistrationOrder() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                f.addDoneCallback(x -> order.add(n));
            }
            f.setResult(0);
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(0, 1, 2, 3, 4), order);
        }
    }

    @Test
    void aCallbackAddedToADoneFutureIsScheduledSoon() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            f.setResult(1);
            List<String> events = new ArrayList<>();
            f.addDoneCallback(x -> events.add("callback"));
            events.add("added");
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("added", "callback"), events);
        }
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            List<String> events = new ArrayList<>();
            Consumer<Future<Integer>> a = x -> events.add("a");
            Consumer<Future<Integer>> b = x -> events.add("b");
            f.addDoneCallback(a);
            f.addDoneCallback(b);
            f.addDoneCallback(a);
            assertEquals(2, f.removeDoneCallback(a));
            assertEquals(0, f.removeDoneCallback(a));
            f.setResult(1);
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("b"), events);
        }
    }

    @Test
    void cancellingRunsTheDoneCallbacks() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            List<Boolean> seen = new ArrayList<>();
            f.addDoneCallback(x -> seen.add(x.cancelled()));
            f.cancel();
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(true), seen);
        }
    }

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandler() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            Future<Integer> f = loop.createFuture();
            RuntimeException boom = new RuntimeException("boom");
            f.addDoneCallback(x -> {
                throw boom;
            });
            f.setResult(1);
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(1, errors.size());
            assertSame(boom, errors.get(0).get("exception"));
        }
    }

    @Test
    void doneCallbacksRunInTheContextTheyWereAddedIn() {
        ContextVar<String> var = new ContextVar<>("request", "none");
        String seen = TestLoops.runVirtual(() -> {
            Future<Integer> f = Asyncio.getRunningLoop().createFuture();
            Future<String> observed = Asyncio.getRunningLoop().createFuture();
            var.set("req-1");
            f.addDoneCallback(x -> observed.setResult(var.get()));
            var.set("req-2");
            f.setResult(1);
            return observed.await();
        });
        assertEquals("req-1", seen);
    }

    @Test
    void awaitReturnsTheResultOnceSet() {
        int r = TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> f = loop.createFuture();
            loop.callLater(1.5, () -> f.setResult(99));
            int v = f.await();
            assertEquals(1.5, loop.time(), 1e-9);
            return v;
        });
        assertEquals(99, r);
    }

    @Test
    void awaitRethrowsTheSameExceptionObject() {
        IOException io = new IOException("refused");
        Exception thrown = assertThrows(Exception.class, () -> TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> f = loop.createFuture();
            loop.callSoon(() -> f.setException(io));
            return f.await();
        }));
        assertSame(io, thrown);
    }

    @Test
    void awaitingADoneFutureDoesNotSuspend() {
        List<String> order = TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> events = new ArrayList<>();
            Future<Integer> f = loop.createFuture();
            f.setResult(1);
            loop.callSoon(() -> events.add("callback"));
            f.await();
            events.add("awaited");
            Asyncio.sleep(0);
            return events;
        });
        assertEquals(List.of("awaited", "callback"), order);
    }

    @Test
    void awaitOutsideATaskFails() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, f::await);
            assertTrue(e.getMessage().contains("outside a running event loop"), e.getMessage());
            List<Throwable> fromCallback = new ArrayList<>();
            loop.callSoon(() -> {
                try {
                    f.await();
                } catch (IllegalStateException ex) {
                    fromCallback.add(ex);
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(fromCallback.get(0).getMessage().contains("outside a task"), fromCallback.get(0).getMessage());
        }
    }

    @Test
    void awaitingAFutureOfAnotherLoopFails() {
        try (EventLoop other = TestLoops.virtualLoop()) {
            Future<Integer> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestLoops.runVirtual(foreign::await));
            assertTrue(e.getMessage().contains("attached to a different loop"), e.getMessage());
        }
    }

    @Test
    void asCompletableFutureCompletesWithTheResult() throws Exception {
        CompletableFuture<String> cf = TestLoops.runVirtual(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            CompletableFuture<String> c = f.asCompletableFuture();
            f.setResult("done");
            Asyncio.sleep(0);
            return c;
        });
        assertEquals("done", cf.get(1, TimeUnit.SECONDS));
    }

    @Test
    void asCompletableFutureCarriesTheExceptionAndCancellation() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> failing = loop.createFuture();
            CompletableFuture<String> c1 = failing.asCompletableFuture();
            IOException io = new IOException("x");
            failing.setException(io);
            Future<String> cancelled = loop.createFuture();
            CompletableFuture<String> c2 = cancelled.asCompletableFuture();
            cancelled.cancel();
            Asyncio.sleep(0);
            assertSame(io, assertThrows(java.util.concurrent.ExecutionException.class, c1::get).getCause());
            assertTrue(c2.isCancelled());
            return null;
        });
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheFuture() {
        boolean cancelled = TestLoops.runVirtual(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            f.asCompletableFuture().cancel(false);
            Asyncio.sleep(0);
            return f.cancelled();
        });
        assertTrue(cancelled);
    }

    @Test
    void wrapFutureDeliversACompletableFutureOnTheLoopThread() {
        String r = Asyncio.run(() -> {
            Thread loopThread = Thread.currentThread();
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = Asyncio.wrapFuture(cf);
            Thread.ofPlatform().start(() -> cf.complete("from another thread"));
            String v = f.await();
            assertSame(loopThread, Thread.currentThread());
            return v;
        });
        assertEquals("from another thread", r);
    }

    @Test
    void wrapFutureUnwrapsCompletionExceptions() {
        IOException io = new IOException("x");
        Exception e = assertThrows(Exception.class, () -> Asyncio.run(() -> {
            return Asyncio.wrapFuture(CompletableFuture.<String>failedFuture(io).thenApply(s -> s + "!")).await();
        }));
        assertSame(io, e);
    }

    @Test
    void cancellingAWrappedFutureCancelsTheCompletableFuture() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        TestLoops.runVirtual(() -> {
            Future<String> f = Asyncio.wrapFuture(cf);
            f.cancel();
            Asyncio.sleep(0);
            return null;
        });
        assertTrue(cf.isCancelled());
    }

    @Test
    void anExceptionNeverRetrievedIsReportedWhenTheFutureIsCollected() throws Exception {
        EventLoop loop = TestLoops.virtualLoop();
        try {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            IOException io = new IOException("lost");
            failAndForget(loop, io);
            assertTrue(TestLoops.gcUntil(() -> {
                loop.callSoon(loop::stop);
                loop.runForever();
                return !errors.isEmpty();
            }), "the unretrieved exception was not reported");
            assertEquals("Future exception was never retrieved", errors.get(0).get("message"));
            assertSame(io, errors.get(0).get("exception"));
        } finally {
            loop.close();
        }
    }

    @Test
    void aRetrievedExceptionIsNotReported() throws Exception {
        EventLoop loop = TestLoops.virtualLoop();
        try {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            Future<Integer> f = loop.createFuture();
            f.setException(new IOException("seen"));
            assertNotNull(f.exception());
            f = null;
            // A sentinel that is reported proves the cleaner ran for collected futures.
            failAndForget(loop, new IOException("sentinel"));
            assertTrue(TestLoops.gcUntil(() -> {
                loop.callSoon(loop::stop);
                loop.runForever();
                return !errors.isEmpty();
            }));
            assertEquals(1, errors.size());
            assertEquals("sentinel", ((Throwable) errors.get(0).get("exception")).getMessage());
        } finally {
            loop.close();
        }
    }

    private static void failAndForget(EventLoop loop, Throwable e) {
        Future<Integer> f = loop.createFuture();
        f.setException(e);
    }

    @Test
    void toStringShowsTheState() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            Future<Integer> f = loop.createFuture();
            assertEquals("Future[pending]", f.toString());
            f.setResult(5);
            assertEquals("Future[finished result=5]", f.toString());
        }
    }
}
