package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ContextTest {
    private static final ContextVar<String> VAR = new ContextVar<>("var", "default");

    private static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    // ---------------------------------------------------------------- the Context API

    @Test
    void newContextIsEmpty() {
        Context ctx = new Context();
        assertEquals(0, ctx.size());
        assertEquals(Map.of(), ctx.toMap());
        assertFalse(ctx.containsKey(VAR));
        assertNull(ctx.get(VAR));
        assertEquals("fallback", ctx.get(VAR, "fallback"));
    }

    @Test
    void runEntersTheContextAndItKeepsTheChanges() {
        Context ctx = new Context();
        String inside = ctx.run(() -> {
            VAR.set("spam");
            return VAR.get();
        });
        assertEquals("spam", inside);
        assertEquals("spam", ctx.get(VAR));
        assertEquals(1, ctx.size());
        assertEquals(Map.of(VAR, "spam"), ctx.toMap());
    }

    @Test
    void runRestoresThePreviousContext() {
        Context outer = new Context();
        outer.run(() -> {
            VAR.set("outer");
            new Context().run(() -> {
                assertEquals("default", VAR.get());
                VAR.set("inner");
            });
            assertEquals("outer", VAR.get());
        });
    }

    @Test
    void copyCurrentSnapshotsTheValuesAndLaterChangesAreNotShared() {
        new Context().run(() -> {
            VAR.set("before");
            Context snapshot = Context.copyCurrent();
            VAR.set("after");
            assertEquals("before", snapshot.get(VAR));
            snapshot.run(() -> VAR.set("in snapshot"));
            assertEquals("after", VAR.get());
            assertEquals("in snapshot", snapshot.get(VAR));
        });
    }

    @Test
    void enteringAContextAlreadyEnteredIsRejected() {
        Context ctx = new Context();
        ctx.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.run(() -> { }));
            assertTrue(e.getMessage().startsWith("cannot enter context: Context"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Context.current().run(() -> { }));
        });
        ctx.run(() -> { });
    }

    @Test
    void runPassesTheBodyExceptionThroughUnchanged() {
        IOException boom = new IOException("boom");
        Context ctx = new Context();
        assertSame(boom, assertThrows(IOException.class, () -> ctx.run(() -> {
            throw boom;
        })));
        ctx.run(() -> { });
    }

    @Test
    void threadsOutsideALoopHaveTheirOwnCurrentContext() throws Exception {
        new Context().run(() -> {
            VAR.set("main thread");
            CompletableFuture<String> other = CompletableFuture.supplyAsync(VAR::get, Executors.newVirtualThreadPerTaskExecutor());
            assertEquals("default", other.join());
        });
    }

    // ---------------------------------------------------------------- propagation on the loop

    @Test
    void taskRunsInACopyOfItsCreatorsContextAtCreation() {
        List<String> seen = run(() -> {
            VAR.set("creator");
            Task<String> child = Asyncio.createTask(() -> VAR.get());
            VAR.set("changed after creation");
            return List.of(child.await(), VAR.get());
        });
        assertEquals(List.of("creator", "changed after creation"), seen);
    }

    @Test
    void valuesSetInAChildTaskAreNotSeenByItsParent() {
        String seen = run(() -> {
            VAR.set("parent");
            Asyncio.createTask(() -> {
                VAR.set("child");
                Asyncio.createTask(() -> assertEquals("child", VAR.get())).await();
            }).await();
            return VAR.get();
        });
        assertEquals("parent", seen);
    }

    @Test
    void taskCreatedWithAContextRunsInThatContextItself() {
        Context given = new Context();
        run(() -> {
            VAR.set("creator");
            Task<String> t = Asyncio.createTask(() -> {
                String before = VAR.get();
                VAR.set("written by task");
                return before;
            }, TaskOptions.DEFAULT.withContext(given));
            assertEquals("default", t.await());
            assertSame(given, t.getContext());
            return null;
        });
        assertEquals("written by task", given.get(VAR));
    }

    @Test
    void callbacksRunInTheContextTheyWereScheduledFrom() {
        List<String> seen = run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> out = new ArrayList<>();
            VAR.set("at callSoon");
            loop.callSoon(() -> out.add("callSoon sees " + VAR.get()));
            VAR.set("at callLater");
            loop.callLater(0.1, () -> out.add("callLater sees " + VAR.get()));
            VAR.set("at callAt");
            loop.callAt(loop.time() + 0.2, () -> out.add("callAt sees " + VAR.get()));
            VAR.set("at addDoneCallback");
            Future<Void> f = loop.createFuture();
            f.addDoneCallback(done -> out.add("done callback sees " + VAR.get()));
            VAR.set("afterwards");
            f.setResult(null);
            Asyncio.sleep(1);
            return out;
        });
        assertEquals(List.of("callSoon sees at callSoon", "done callback sees at addDoneCallback",
                "callLater sees at callLater", "callAt sees at callAt"), seen);
    }

    @Test
    void callbackChangesStayInTheCallbacksCopy() {
        String seen = run(() -> {
            VAR.set("task");
            Future<Void> ran = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                VAR.set("callback");
                ran.setResult(null);
            });
            ran.await();
            return VAR.get();
        });
        assertEquals("task", seen);
    }

    @Test
    void callSoonWithAnExplicitContextRunsInIt() {
        Context given = new Context();
        run(() -> {
            Future<String> seen = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                VAR.set("set in callback");
                seen.setResult("ok");
            }, given);
            return seen.await();
        });
        assertEquals("set in callback", given.get(VAR));
    }

    @Test
    void callSoonThreadsafeRunsInACopyOfTheCallingThreadsContext() throws Exception {
        String seen = run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> result = loop.createFuture();
            Thread producer = Thread.ofPlatform().start(() -> new Context().run(() -> {
                VAR.set("producer thread");
                loop.callSoonThreadsafe(() -> result.setResult(VAR.get()));
            }));
            String value = result.await();
            producer.join();
            return value;
        });
        assertEquals("producer thread", seen);
    }

    @Test
    void toThreadCarriesACopyOfTheContextToTheWorker() {
        List<String> seen = run(() -> {
            VAR.set("task value");
            String inWorker = Asyncio.toThread(() -> {
                String v = VAR.get();
                VAR.set("worker change");
                return v;
            });
            return List.of(inWorker, VAR.get());
        });
        assertEquals(List.of("task value", "task value"), seen);
    }

    @Test
    void runInExecutorDoesNotCarryTheContextAsInAsyncio() {
        String seen = run(() -> {
            VAR.set("task value");
            return Asyncio.getRunningLoop().runInExecutor(null, () -> VAR.get()).await();
        });
        assertEquals("default", seen);
    }

    @Test
    void runnerRunsEveryMainInItsOwnSharedContext() {
        try (Runner runner = new Runner(() -> EventLoop.newEventLoop(new VirtualClock()), null)) {
            runner.run(() -> VAR.set("first run"));
            assertEquals("first run", runner.run(VAR::get));
            Context separate = new Context();
            assertEquals("default", runner.run(VAR::get, separate));
        }
    }

    @Test
    void contextRunInsideATaskIsScopedToTheBlockEvenAcrossAwaits() {
        List<String> seen = run(() -> {
            List<String> out = new ArrayList<>();
            VAR.set("task");
            Context ctx = new Context();
            ctx.run(() -> {
                VAR.set("in ctx");
                Asyncio.sleep(1);
                out.add(VAR.get());
            });
            out.add(VAR.get());
            return out;
        });
        assertEquals(List.of("in ctx", "task"), seen);
    }

    @Test
    void contextEnteredByOneTaskAcrossAnAwaitIsNotSeenByOtherTasks() {
        List<String> seen = run(() -> {
            List<String> out = new ArrayList<>();
            VAR.set("main");
            Task<Void> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0.5);
                out.add("other sees " + VAR.get());
            });
            new Context().run(() -> {
                VAR.set("entered by main");
                Asyncio.sleep(1);
            });
            other.await();
            out.add("main sees " + VAR.get());
            return out;
        });
        assertEquals(List.of("other sees main", "main sees main"), seen);
    }
}
