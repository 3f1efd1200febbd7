package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncContextManagerTest {

    private static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** The seed's AsyncContextManager, with its prints recorded. */
    static final class SeedManager implements AsyncContextManager<SeedManager> {
        final List<String> printed = new ArrayList<>();

        @Override
        public SeedManager aenter() {
            printed.add("进入");
            return this;
        }

        @Override
        public boolean aexit(Throwable exception) {
            printed.add("退出");
            return false;
        }
    }

    /** Records what it sees; awaits on both sides; suppresses when told to. */
    static final class Recording implements AsyncContextManager<String> {
        final List<String> log = new ArrayList<>();
        Throwable seen;
        boolean suppress;
        RuntimeException throwOnExit;

        @Override
        public String aenter() {
            Asyncio.sleep(1);
            log.add("enter at " + Asyncio.getRunningLoop().time());
            return "resource";
        }

        @Override
        public boolean aexit(Throwable exception) {
            seen = exception;
            Asyncio.sleep(1);
            log.add("exit at " + Asyncio.getRunningLoop().time());
            if (throwOnExit != null) {
                throw throwOnExit;
            }
            return suppress;
        }
    }

    @Test
    void seedExampleEntersRunsTheBlockAndExits() {
        SeedManager cm = new SeedManager();
        run(() -> Asyncio.with(cm, manager -> {
            assertSame(cm, manager);
            manager.printed.add("body");
            return null;
        }));
        assertEquals(List.of("进入", "body", "退出"), cm.printed);
    }

    @Test
    void withReturnsTheBlockResultAndAwaitsOnBothSides() {
        Recording cm = new Recording();
        String result = run(() -> Asyncio.with(cm, value -> {
            cm.log.add("block got " + value);
            return value.toUpperCase();
        }));
        assertEquals("RESOURCE", result);
        assertEquals(List.of("enter at 1.0", "block got resource", "exit at 2.0"), cm.log);
        assertNull(cm.seen);
    }

    @Test
    void aexitSeesTheBlockExceptionWhichThenPropagatesUnchanged() {
        Recording cm = new Recording();
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> run(() -> Asyncio.with(cm, value -> {
            throw boom;
        })));
        assertSame(boom, thrown);
        assertSame(boom, cm.seen);
    }

    @Test
    void aexitReturningTrueSuppressesTheExceptionAndWithReturnsNull() {
        Recording cm = new Recording();
        cm.suppress = true;
        Object result = run(() -> Asyncio.with(cm, value -> {
            throw new IllegalStateException("suppressed");
        }));
        assertNull(result);
        assertInstanceOf(IllegalStateException.class, cm.seen);
    }

    @Test
    void aexitReturningTrueAfterSuccessKeepsTheResult() {
        Recording cm = new Recording();
        cm.suppress = true;
        assertEquals("ok", run(() -> Asyncio.with(cm, value -> "ok")));
    }

    @Test
    void exceptionFromAexitReplacesTheBlockExceptionKeepingItAsSuppressed() {
        Recording cm = new Recording();
        cm.throwOnExit = new IllegalArgumentException("from aexit");
        IOException original = new IOException("from block");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> run(() -> Asyncio.with(cm, value -> {
                    throw original;
                })));
        assertSame(cm.throwOnExit, thrown);
        assertArrayEquals(new Throwable[] {original}, thrown.getSuppressed());
    }

    @Test
    void exceptionFromAexitWrappingTheBlockExceptionIsNotGivenItTwice() {
        IOException original = new IOException("from block");
        AsyncContextManager<String> wrapping = new AsyncContextManager<>() {
            @Override
            public String aenter() {
                return "x";
            }

            @Override
            public boolean aexit(Throwable exception) {
                throw new IllegalStateException("wrapped", exception);
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> run(() -> Asyncio.with(wrapping, value -> {
                    throw original;
                })));
        assertSame(original, thrown.getCause());
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void exceptionFromAexitAfterSuccessfulBlockPropagates() {
        Recording cm = new Recording();
        cm.throwOnExit = new IllegalArgumentException("from aexit");
        assertSame(cm.throwOnExit, assertThrows(IllegalArgumentException.class,
                () -> run(() -> Asyncio.with(cm, value -> "result"))));
    }

    @Test
    void failingAenterSkipsBlockAndAexit() {
        List<String> log = new ArrayList<>();
        IOException refused = new IOException("refused");
        AsyncContextManager<String> cm = new AsyncContextManager<>() {
            @Override
            public String aenter() throws IOException {
                throw refused;
            }

            @Override
            public boolean aexit(Throwable exception) {
                log.add("aexit");
                return false;
            }
        };
        assertSame(refused, assertThrows(IOException.class, () -> run(() -> Asyncio.with(cm, value -> {
            log.add("block");
            return null;
        }))));
        assertEquals(List.of(), log);
    }

    @Test
    void cancelledBlockReachesAexitWhichMayAwaitAndTheTaskEndsCancelled() {
        Recording cm = new Recording();
        run(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.with(cm, value -> {
                Asyncio.sleep(100);
                return "not reached";
            }));
            Asyncio.sleep(5);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            assertEquals(6.0, Asyncio.getRunningLoop().time(), 1e-9);
            return null;
        });
        assertInstanceOf(CancelledError.class, cm.seen);
        assertEquals(List.of("enter at 1.0", "exit at 6.0"), cm.log);
    }

    @Test
    void aexitSuppressingCancellationLetsTheTaskFinish() {
        Recording cm = new Recording();
        cm.suppress = true;
        String outcome = run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.with(cm, value -> Asyncio.sleep(100, "not reached"));
                return "finished after suppressed cancellation";
            });
            Asyncio.sleep(5);
            t.cancel();
            return t.await();
        });
        assertEquals("finished after suppressed cancellation", outcome);
    }

    @Test
    void withRejectsNullArguments() {
        run(() -> {
            assertEquals("manager", assertThrows(NullPointerException.class,
                    () -> Asyncio.with(null, v -> v)).getMessage());
            assertEquals("block", assertThrows(NullPointerException.class,
                    () -> Asyncio.with(new SeedManager(), null)).getMessage());
            return null;
        });
    }

    // ---------------------------------------------------------------- try-with-resources form

    /** The try-with-resources form: opening and close() both await. */
    static final class Connection implements AutoCloseable {
        final List<String> log;
        RuntimeException failClose;

        private Connection(List<String> log) {
            this.log = log;
        }

        static Connection open(List<String> log) {
            Asyncio.sleep(1);
            log.add("opened at " + Asyncio.getRunningLoop().time());
            return new Connection(log);
        }

        @Override
        public void close() {
            Asyncio.sleep(1);
            log.add("closed at " + Asyncio.getRunningLoop().time());
            if (failClose != null) {
                throw failClose;
            }
        }
    }

    @Test
    void tryWithResourcesOpeningAndClosingMaySuspend() {
        List<String> log = new ArrayList<>();
        run(() -> {
            try (Connection c = Connection.open(log)) {
                log.add("using");
            }
            return null;
        });
        assertEquals(List.of("opened at 1.0", "using", "closed at 2.0"), log);
    }

    @Test
    void tryWithResourcesKeepsBodyExceptionAndAddsCloseExceptionAsSuppressed() {
        List<String> log = new ArrayList<>();
        IllegalStateException fromClose = new IllegalStateException("close failed");
        IOException fromBody = new IOException("body failed");
        IOException thrown = assertThrows(IOException.class, () -> run(() -> {
            try (Connection c = Connection.open(log)) {
                c.failClose = fromClose;
                throw fromBody;
            }
        }));
        assertSame(fromBody, thrown);
        assertArrayEquals(new Throwable[] {fromClose}, thrown.getSuppressed());
    }

    @Test
    void tryWithResourcesCloseRunsAndMayAwaitAfterTheBodyWasCancelled() {
        List<String> log = new ArrayList<>();
        run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                try (Connection c = Connection.open(log)) {
                    Asyncio.sleep(100);
                }
            });
            Asyncio.sleep(3);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            return null;
        });
        assertEquals(List.of("opened at 1.0", "closed at 4.0"), log);
    }

    // ---------------------------------------------------------------- asyncContextManager

    @Test
    void generatorManagerRunsSetupBeforeAndTeardownAfterTheBlock() {
        List<String> log = new ArrayList<>();
        String result = run(() -> Asyncio.with(Asyncio.asyncContextManager(out -> {
            Asyncio.sleep(1);
            log.add("setup");
            try {
                out.yield("conn");
            } finally {
                Asyncio.sleep(1);
                log.add("teardown at " + Asyncio.getRunningLoop().time());
            }
        }), conn -> {
            log.add("block with " + conn);
            return "done";
        }));
        assertEquals("done", result);
        assertEquals(List.of("setup", "block with conn", "teardown at 2.0"), log);
    }

    @Test
    void generatorManagerRaisesBlockExceptionAtTheYieldAndRunsFinally() {
        List<String> log = new ArrayList<>();
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> run(() -> Asyncio.with(
                Asyncio.<String>asyncContextManager(out -> {
                    try {
                        out.yield("x");
                    } catch (Exception e) {
                        log.add("caught " + e.getMessage());
                        throw e;
                    } finally {
                        log.add("finally");
                    }
                }), value -> {
                    throw boom;
                })));
        assertSame(boom, thrown);
        assertEquals(List.of("caught boom", "finally"), log);
    }

    @Test
    void generatorManagerCatchingTheExceptionSuppressesIt() {
        Object result = run(() -> Asyncio.with(Asyncio.<String>asyncContextManager(out -> {
            try {
                out.yield("x");
            } catch (IllegalArgumentException e) {
                // handled: the with block's exception is suppressed
            }
        }), value -> {
            throw new IllegalArgumentException("handled");
        }));
        assertNull(result);
    }

    @Test
    void generatorManagerThatDoesNotYieldFailsOnEntry() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> Asyncio.with(
                Asyncio.<String>asyncContextManager(out -> { }), value -> "unreached")));
        assertEquals("generator didn't yield", e.getMessage());
    }

    @Test
    void generatorManagerThatYieldsTwiceFailsOnExitAndIsClosed() {
        List<String> log = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> Asyncio.with(
                Asyncio.<String>asyncContextManager(out -> {
                    try {
                        out.yield("a");
                        out.yield("b");
                    } finally {
                        log.add("closed");
                    }
                }), value -> "result")));
        assertEquals("generator didn't stop", e.getMessage());
        assertEquals(List.of("closed"), log);
    }

    @Test
    void generatorManagerThatYieldsAfterTheExceptionFailsOnExit() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> Asyncio.with(
                Asyncio.<String>asyncContextManager(out -> {
                    try {
                        out.yield("a");
                    } catch (Exception swallowed) {
                        out.yield("again");
                    }
                }), value -> {
                    throw new IOException("block");
                })));
        assertEquals("generator didn't stop after athrow()", e.getMessage());
    }

    @Test
    void stopAsyncIterationFromTheBlockPropagatesThroughAGeneratorManager() {
        StopAsyncIteration stop = new StopAsyncIteration("from block");
        StopAsyncIteration thrown = assertThrows(StopAsyncIteration.class, () -> run(() -> Asyncio.with(
                Asyncio.<String>asyncContextManager(out -> out.yield("x")), value -> {
                    throw stop;
                })));
        assertSame(stop, thrown);
    }

    @Test
    void cancellationInsideGeneratorManagerBlockRunsItsFinallyAndPropagates() {
        List<String> log = new ArrayList<>();
        run(() -> {
            Task<Object> t = Asyncio.createTask(() -> Asyncio.with(Asyncio.<String>asyncContextManager(out -> {
                try {
                    out.yield("x");
                } finally {
                    Asyncio.sleep(1);
                    log.add("released at " + Asyncio.getRunningLoop().time());
                }
            }), value -> Asyncio.sleep(100, null)));
            Asyncio.sleep(2);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            return null;
        });
        assertEquals(List.of("released at 3.0"), log);
    }
}
