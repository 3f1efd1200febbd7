package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AsyncGeneratorTest {

    private static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** Yields 0..n-1, sleeping {@code pause} seconds before each value. */
    private static AsyncGenerator<Integer> counting(int n, double pause) {
        return Asyncio.generator(out -> {
            for (int i = 0; i < n; i++) {
                Asyncio.sleep(pause);
                out.yield(i);
            }
        });
    }

    // ---------------------------------------------------------------- iteration

    @Test
    void forLoopReceivesYieldedValuesInOrderWhileBodySleeps() {
        List<Object> seen = run(() -> {
            List<Object> out = new ArrayList<>();
            for (int v : counting(3, 0.1)) {
                out.add(v);
                out.add(Asyncio.getRunningLoop().time());
            }
            return out;
        });
        assertEquals(List.of(0, 0.1, 1, 0.2, 2, 0.3), seen);
    }

    @Test
    void awaitInsideBodySuspendsTheConsumerTaskAndLetsOthersRun() {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                for (int i = 0; i < 2; i++) {
                    events.add("other " + i);
                    Asyncio.sleep(0.1);
                }
            });
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                for (int i = 0; i < 2; i++) {
                    Asyncio.sleep(0.15);
                    events.add("yield " + i);
                    out.yield(i);
                }
            });
            for (int v : gen) {
                events.add("got " + v);
            }
            other.await();
            return events;
        });
        assertEquals(List.of("other 0", "other 1", "yield 0", "got 0", "yield 1", "got 1"), log);
    }

    @Test
    void bodyDoesNotRunBeforeFirstIteration() {
        int[] runs = new int[1];
        int value = run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                runs[0]++;
                out.yield(7);
            });
            Asyncio.sleep(1);
            assertEquals(0, runs[0]);
            return gen.anext();
        });
        assertEquals(7, value);
        assertEquals(1, runs[0]);
    }

    @Test
    void exhaustedGeneratorKeepsThrowingStopAsyncIteration() {
        run(() -> {
            AsyncGenerator<Integer> gen = counting(1, 0);
            assertEquals(0, gen.anext());
            assertThrows(StopAsyncIteration.class, gen::anext);
            assertThrows(StopAsyncIteration.class, gen::anext);
            assertFalse(gen.hasNext());
            assertTrue(gen.isFinished());
            return null;
        });
    }

    @Test
    void anextWithDefaultReturnsDefaultOnceExhausted() {
        List<Integer> values = run(() -> {
            AsyncGenerator<Integer> gen = counting(2, 0);
            return List.of(gen.anext(-1), gen.anext(-1), gen.anext(-1), gen.anext(-1));
        });
        assertEquals(List.of(0, 1, -1, -1), values);
    }

    @Test
    void toListCollectsEveryValueLikeAnAsyncComprehension() {
        double[] finishedAt = new double[1];
        List<Integer> values = run(() -> {
            List<Integer> all = counting(3, 0.1).toList();
            finishedAt[0] = Asyncio.getRunningLoop().time();
            return all;
        });
        assertEquals(List.of(0, 1, 2), values);
        assertEquals(0.3, finishedAt[0], 1e-9);
    }

    @Test
    void bodyExceptionComesOutUnchangedAndFinishesGenerator() {
        IOException boom = new IOException("boom");
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                Asyncio.sleep(0.1);
                throw boom;
            });
            assertEquals(1, gen.anext());
            IOException thrown = assertThrows(IOException.class, gen::anext);
            assertSame(boom, thrown);
            assertThrows(StopAsyncIteration.class, gen::anext);
            return null;
        });
    }

    @Test
    void bodyExceptionComesOutOfHasNextInForLoop() {
        ArithmeticException boom = new ArithmeticException("/ by zero");
        List<Integer> seen = new ArrayList<>();
        ArithmeticException thrown = assertThrows(ArithmeticException.class, () -> run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                throw boom;
            });
            for (int v : gen) {
                seen.add(v);
            }
            return null;
        }));
        assertSame(boom, thrown);
        assertEquals(List.of(1), seen);
    }

    @Test
    void stopAsyncIterationEscapingBodyBecomesIllegalStateException() {
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(123);
                throw new StopAsyncIteration();
            });
            assertEquals(123, gen.anext());
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::anext);
            assertEquals("async generator raised StopAsyncIteration", e.getMessage());
            assertInstanceOf(StopAsyncIteration.class, e.getCause());
            return null;
        });
    }

    @Test
    void hasNextFetchesOnceAndNextReturnsThatValue() {
        run(() -> {
            int[] runs = new int[1];
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                while (true) {
                    out.yield(runs[0]++);
                }
            });
            assertTrue(gen.hasNext());
            assertTrue(gen.hasNext());
            assertEquals(1, runs[0]);
            assertEquals(0, gen.next());
            assertEquals(1, gen.anext());
            assertEquals(2, runs[0]);
            gen.aclose();
            return null;
        });
    }

    @Test
    void nextAtEndThrowsNoSuchElementException() {
        run(() -> {
            AsyncGenerator<Integer> gen = counting(0, 0);
            NoSuchElementException e = assertThrows(NoSuchElementException.class, gen::next);
            assertInstanceOf(StopAsyncIteration.class, e);
            return null;
        });
    }

    @Test
    void breakingOutOfForLoopLeavesGeneratorSuspendedWhereItWas() {
        List<Integer> rest = run(() -> {
            AsyncGenerator<Integer> gen = counting(4, 0.1);
            for (int v : gen) {
                if (v == 1) {
                    break;
                }
            }
            assertFalse(gen.isFinished());
            return gen.toList();
        });
        assertEquals(List.of(2, 3), rest);
    }

    @Test
    void tryWithResourcesClosesGeneratorAfterBreak() {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            try (AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    for (int i = 0; ; i++) {
                        out.yield(i);
                    }
                } finally {
                    Asyncio.sleep(0.5);
                    events.add("finally at " + Asyncio.getRunningLoop().time());
                }
            })) {
                for (int v : gen) {
                    if (v == 2) {
                        break;
                    }
                }
                events.add("body done");
            }
            events.add("closed");
            return events;
        });
        assertEquals(List.of("body done", "finally at 0.5", "closed"), log);
    }

    // ---------------------------------------------------------------- asend / athrow

    @Test
    void asendValueBecomesResultOfPendingYield() {
        List<Object> results = run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                Asyncio.sleep(0.01);
                Object v = out.yield(1);
                Asyncio.sleep(0.01);
                out.yield((Integer) v * 2);
            });
            List<Object> r = new ArrayList<>();
            r.add(gen.asend(null));
            r.add(gen.asend(100));
            assertThrows(StopAsyncIteration.class, () -> gen.asend(null));
            return r;
        });
        assertEquals(List.of(1, 200), results);
    }

    @Test
    void yieldReturnsNullWhenResumedByAnext() {
        Object received = run(() -> {
            Object[] got = {"unset"};
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                got[0] = out.yield(1);
                out.yield(2);
            });
            gen.anext();
            gen.anext();
            return got[0];
        });
        assertNull(received);
    }

    @Test
    void asendOfValueToUnstartedGeneratorIsRejectedAndLeavesItUnstarted() {
        run(() -> {
            AsyncGenerator<Integer> gen = counting(1, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gen.asend("x"));
            assertEquals("can't send non-null value to a just-started async generator: x", e.getMessage());
            assertEquals(0, gen.anext());
            return null;
        });
    }

    @Test
    void athrowRaisesAtPendingYieldAndReturnsNextYieldedValue() {
        class FooError extends RuntimeException {
        }
        int[] done = new int[1];
        List<Integer> results = run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(0.01);
                    int v;
                    try {
                        out.yield(1);
                        v = 1;
                    } catch (FooError e) {
                        v = 1000;
                        Asyncio.sleep(0.01);
                    }
                    out.yield(v * 2);
                    Asyncio.sleep(0.01);
                } finally {
                    Asyncio.sleep(0.01);
                    done[0] = 1;
                }
            });
            List<Integer> r = new ArrayList<>();
            r.add(gen.asend(null));
            r.add(gen.athrow(new FooError()));
            assertThrows(StopAsyncIteration.class, () -> gen.asend(null));
            return r;
        });
        assertEquals(List.of(1, 2000), results);
        assertEquals(1, done[0]);
    }

    @Test
    void athrowCaughtByBodyThatThenReturnsThrowsStopAsyncIteration() {
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } catch (IllegalArgumentException e) {
                    // swallowed
                }
            });
            gen.anext();
            assertThrows(StopAsyncIteration.class, () -> gen.athrow(new IllegalArgumentException()));
            return null;
        });
    }

    @Test
    void athrowUncaughtByBodyComesBackUnchanged() {
        IOException thrownIn = new IOException("in");
        run(() -> {
            List<String> log = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    log.add("finally");
                }
            });
            gen.anext();
            assertSame(thrownIn, assertThrows(IOException.class, () -> gen.athrow(thrownIn)));
            assertEquals(List.of("finally"), log);
            assertTrue(gen.isFinished());
            return null;
        });
    }

    @Test
    void athrowIntoUnstartedGeneratorThrowsBackWithoutRunningBody() {
        IOException thrownIn = new IOException("early");
        run(() -> {
            int[] runs = new int[1];
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                runs[0]++;
                out.yield(1);
            });
            assertSame(thrownIn, assertThrows(IOException.class, () -> gen.athrow(thrownIn)));
            assertEquals(0, runs[0]);
            assertThrows(StopAsyncIteration.class, gen::anext);
            return null;
        });
    }

    @Test
    void athrowOnFinishedGeneratorReturnsNull() {
        run(() -> {
            AsyncGenerator<Integer> gen = counting(0, 0);
            assertFalse(gen.hasNext());
            assertNull(gen.athrow(new IOException("ignored")));
            return null;
        });
    }

    @Test
    void asendOrAthrowWhileHasNextHoldsAValueIsRejected() {
        run(() -> {
            AsyncGenerator<Integer> gen = counting(3, 0);
            assertTrue(gen.hasNext());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gen.asend(5));
            assertTrue(e.getMessage().startsWith("asend(): a value fetched by hasNext() is waiting for next()"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> gen.athrow(new IOException()));
            assertEquals(0, gen.next());
            assertEquals(1, gen.asend(null));
            return null;
        });
    }

    // ---------------------------------------------------------------- aclose

    @Test
    void acloseRaisesGeneratorExitAtYieldAndRunsFinallyBlocksThatAwait() {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    events.add("after yield");
                } catch (GeneratorExit e) {
                    events.add("GeneratorExit");
                    throw e;
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    events.add("finally at " + Math.round(Asyncio.getRunningLoop().time() * 100) / 100.0);
                }
                events.add("after try");
            });
            gen.anext();
            gen.aclose();
            assertTrue(gen.isFinished());
            assertThrows(StopAsyncIteration.class, gen::anext);
            return events;
        });
        assertEquals(List.of("GeneratorExit", "finally at 0.02"), log);
    }

    @Test
    void acloseOfUnstartedGeneratorNeverRunsBody() {
        run(() -> {
            int[] runs = new int[1];
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                runs[0]++;
                out.yield(1);
            });
            gen.aclose();
            assertEquals(0, runs[0]);
            assertThrows(StopAsyncIteration.class, gen::anext);
            return null;
        });
    }

    @Test
    void acloseTwiceAndAfterExhaustionDoesNothing() {
        run(() -> {
            AsyncGenerator<Integer> first = counting(2, 0);
            first.aclose();
            first.aclose();
            AsyncGenerator<Integer> second = counting(2, 0);
            assertEquals(List.of(0, 1), second.toList());
            second.aclose();
            return null;
        });
    }

    @Test
    void bodyYieldingWhileClosingFailsAcloseAsIgnoredGeneratorExit() {
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    Asyncio.sleep(0.01);
                    out.yield(12);
                }
            });
            gen.anext();
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::aclose);
            assertTrue(e.getMessage().startsWith("async generator ignored GeneratorExit"), e.getMessage());
            assertFalse(gen.isFinished());
            // CPython keeps the generator marked closed: a second aclose() is refused...
            assertThrows(StopAsyncIteration.class, gen::aclose);
            // ...but anext() resumes it, and the GeneratorExit still pending in its finally ends it.
            assertThrows(GeneratorExit.class, gen::anext);
            assertTrue(gen.isFinished());
            return null;
        });
    }

    @Test
    void bodySwallowingGeneratorExitAndReturningClosesQuietly() {
        int[] done = new int[1];
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } catch (GeneratorExit e) {
                    // swallowed, then the body returns
                }
                done[0] = 1;
            });
            gen.asend(null);
            gen.aclose();
            done[0] += 10;
            return null;
        });
        assertEquals(11, done[0]);
    }

    @Test
    void exceptionRaisedInFinallyWhileClosingComesOutOfAclose() {
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    Asyncio.sleep(0.01);
                    throw new ArithmeticException("in finally");
                }
            });
            gen.anext();
            ArithmeticException e = assertThrows(ArithmeticException.class, gen::aclose);
            assertEquals("in finally", e.getMessage());
            assertTrue(gen.isFinished());
            return null;
        });
    }

    @Test
    void exceptionRaisedInFinallyAfterBodyFailureReplacesIt() {
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    throw new IOException("body");
                } finally {
                    Asyncio.sleep(0.01);
                    throw new ArithmeticException("finally");
                }
            });
            gen.anext();
            assertEquals("finally", assertThrows(ArithmeticException.class, gen::anext).getMessage());
            return null;
        });
    }

    // ---------------------------------------------------------------- running state

    @Test
    void secondConsumerWhileBodyAwaitsIsRejectedAsAlreadyRunning() {
        run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                gate.await();
                out.yield(1);
            });
            Task<Integer> first = Asyncio.createTask(() -> gen.anext());
            Asyncio.sleep(0);
            assertTrue(gen.isRunning());
            assertEquals("anext(): asynchronous generator is already running: " + gen,
                    assertThrows(IllegalStateException.class, gen::anext).getMessage());
            assertThrows(IllegalStateException.class, gen::hasNext);
            assertTrue(assertThrows(IllegalStateException.class, gen::aclose).getMessage()
                    .startsWith("aclose(): asynchronous generator is already running"));
            assertTrue(assertThrows(IllegalStateException.class, () -> gen.athrow(new IOException())).getMessage()
                    .startsWith("athrow(): asynchronous generator is already running"));
            gate.setResult(null);
            assertEquals(1, first.await());
            assertFalse(gen.isRunning());
            gen.aclose();
            return null;
        });
    }

    @Test
    void bodyIteratingItsOwnGeneratorIsRejectedAsAlreadyRunning() {
        run(() -> {
            List<AsyncGenerator<Integer>> self = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                self.get(0).anext();
            });
            self.add(gen);
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::anext);
            assertTrue(e.getMessage().startsWith("anext(): asynchronous generator is already running"), e.getMessage());
            return null;
        });
    }

    @Test
    void yielderUsedOutsideItsBodyIsRejected() {
        run(() -> {
            List<Yielder<Integer>> leaked = new ArrayList<>();
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                leaked.add(out);
                Task<Void> helper = Asyncio.createTask(() -> {
                    out.yield(99);
                });
                IllegalStateException fromTask = assertThrows(IllegalStateException.class, helper::await);
                assertTrue(fromTask.getMessage().startsWith("yield() called outside the body of"), fromTask.getMessage());
                out.yield(1);
                gate.await();
            });
            assertEquals(1, gen.anext());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get(0).yield(2));
            assertTrue(e.getMessage().startsWith("yield() called outside the body of"), e.getMessage());
            gen.aclose();
            return null;
        });
    }

    @Test
    void generatorIteratedFromAPlainCallbackRunsUntilItAwaits() {
        List<Object> results = run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<List<Object>> done = loop.createFuture();
            Future<Void> never = loop.createFuture();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                never.await();
                out.yield(2);
            });
            loop.callSoon(() -> {
                List<Object> r = new ArrayList<>();
                r.add(gen.anext());
                r.add(assertThrows(IllegalStateException.class, gen::anext).getMessage());
                done.setResult(r);
            });
            return done.await();
        });
        assertEquals(1, results.get(0));
        assertTrue(((String) results.get(1)).startsWith("await() called outside a task"), (String) results.get(1));
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertEquals("body", assertThrows(NullPointerException.class, () -> Asyncio.generator(null)).getMessage());
        run(() -> {
            AsyncGenerator<Integer> gen = counting(1, 0);
            assertEquals("exception", assertThrows(NullPointerException.class, () -> gen.athrow(null)).getMessage());
            assertEquals("source", assertThrows(NullPointerException.class, () -> Asyncio.toPublisher(null)).getMessage());
            return null;
        });
    }

    @Test
    void iteratingOutsideARunningLoopIsRejected() {
        AsyncGenerator<Integer> gen = Asyncio.generator(out -> out.yield(1));
        assertEquals("no running event loop", assertThrows(IllegalStateException.class, gen::anext).getMessage());
    }

    /** Hands a generator to {@link IteratedInInitializer} without initializing that class. */
    static final class InitializerSource {
        static AsyncGenerator<Integer> generator;

        private InitializerSource() {
        }
    }

    /** Its initializer iterates a generator: a stack the continuation backend cannot suspend. */
    static final class IteratedInInitializer {
        static final int FIRST = InitializerSource.generator.anext();

        private IteratedInInitializer() {
        }
    }

    @Test
    void awaitInBodyThatCannotSuspendTheTaskFailsInTheBodyInsteadOfHanging() {
        List<String> log = new ArrayList<>();
        String backend = run(() -> {
            InitializerSource.generator = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(0.1);
                    out.yield(1);
                } catch (io.jasyncio.internal.coro.PinnedSuspensionError e) {
                    log.add("pinned");
                    throw e;
                }
            });
            try {
                log.add("first " + IteratedInInitializer.FIRST);
            } catch (ExceptionInInitializerError e) {
                assertInstanceOf(io.jasyncio.internal.coro.PinnedSuspensionError.class, e.getCause());
                log.add("initializer failed");
            }
            return Asyncio.getRunningLoop().backendName();
        });
        // Virtual threads can park inside a class initializer; a continuation cannot yield there.
        assertEquals(backend.equals("virtual") ? List.of("first 1") : List.of("pinned", "initializer failed"), log);
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void cancellingConsumerWhileBodyAwaitsRaisesCancelledErrorInBodyAndRunsItsFinally() {
        List<String> log = new ArrayList<>();
        run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    Asyncio.sleep(10);
                    log.add("not reached");
                    out.yield(2);
                } catch (CancelledError e) {
                    log.add("cancelled in body at " + Asyncio.getRunningLoop().time());
                    throw e;
                } finally {
                    Asyncio.sleep(0.5);
                    log.add("finally done at " + Asyncio.getRunningLoop().time());
                }
            });
            Task<List<Integer>> consumer = Asyncio.createTask(gen::toList);
            Asyncio.sleep(1);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            assertTrue(consumer.cancelled());
            assertTrue(gen.isFinished());
            return null;
        });
        assertEquals(List.of("cancelled in body at 1.0", "finally done at 1.5"), log);
    }

    @Test
    void consumerCancelledOutsideBodyStillClosesGeneratorWithTryWithResources() {
        List<String> log = new ArrayList<>();
        run(() -> {
            Task<Void> consumer = Asyncio.createTask(() -> {
                try (AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                    try {
                        while (true) {
                            out.yield(1);
                        }
                    } finally {
                        Asyncio.sleep(0.25);
                        log.add("generator closed at " + Asyncio.getRunningLoop().time());
                    }
                })) {
                    for (int ignored : gen) {
                        Asyncio.sleep(1);
                    }
                }
            });
            Asyncio.sleep(2.5);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            return null;
        });
        assertEquals(List.of("generator closed at 2.75"), log);
    }

    // ---------------------------------------------------------------- nesting and context

    @Test
    void generatorConsumingAnotherGeneratorAwaitsThroughBoth() {
        List<Integer> values = run(() -> {
            AsyncGenerator<Integer> inner = counting(3, 0.1);
            AsyncGenerator<Integer> outer = Asyncio.generator(out -> {
                for (int v : inner) {
                    Asyncio.sleep(0.05);
                    out.yield(v * 10);
                }
            });
            List<Integer> all = outer.toList();
            assertEquals(0.45, Asyncio.getRunningLoop().time(), 1e-9);
            return all;
        });
        assertEquals(List.of(0, 10, 20), values);
    }

    @Test
    void closingOuterGeneratorClosesInnerOneItHolds() {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> outer = Asyncio.generator(out -> {
                try (AsyncGenerator<Integer> inner = Asyncio.generator(in -> {
                    try {
                        while (true) {
                            in.yield(1);
                        }
                    } finally {
                        Asyncio.sleep(0.1);
                        events.add("inner closed");
                    }
                })) {
                    for (int v : inner) {
                        out.yield(v);
                    }
                } finally {
                    events.add("outer closed");
                }
            });
            outer.anext();
            outer.aclose();
            return events;
        });
        assertEquals(List.of("inner closed", "outer closed"), log);
    }

    @Test
    void bodyRunsInTheContextOfTheTaskIteratingIt() {
        ContextVar<String> who = new ContextVar<>("who", "nobody");
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                while (true) {
                    events.add("body sees " + who.get());
                    out.yield(1);
                }
            });
            who.set("main");
            gen.anext();
            Asyncio.createTask(() -> {
                who.set("helper");
                gen.anext();
            }).await();
            gen.anext();
            gen.aclose();
            return events;
        });
        assertEquals(List.of("body sees main", "body sees helper", "body sees main"), log);
    }

    @Test
    void variableSetInBodyIsSeenByTheConsumerTask() {
        ContextVar<String> stage = new ContextVar<>("stage", "none");
        String seen = run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                stage.set("set by body");
                out.yield(1);
            });
            gen.anext();
            return stage.get();
        });
        assertEquals("set by body", seen);
    }

    @Test
    void contextEnteredInBodyAroundAYieldStaysWithTheBody() {
        ContextVar<String> where = new ContextVar<>("where", "consumer");
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> new Context().run(() -> {
                where.set("body's own context");
                out.yield(1);
                events.add("body after yield sees " + where.get());
            }));
            gen.anext();
            events.add("consumer sees " + where.get());
            assertThrows(StopAsyncIteration.class, gen::anext);
            events.add("consumer after end sees " + where.get());
            return events;
        });
        assertEquals(List.of("consumer sees consumer", "body after yield sees body's own context",
                "consumer after end sees consumer"), log);
    }

    // ---------------------------------------------------------------- loop hooks

    @Test
    void shutdownAsyncgensClosesGeneratorsLeftSuspendedInCancelledTasks() {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        int[] finalized = new int[1];
        AsyncCallable<Void> waitOne = () -> {
            AsyncGenerator<Integer> waiter = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(1);
                    out.yield(1);
                } finally {
                    Asyncio.sleep(0);
                    finalized[0]++;
                }
            });
            for (int ignored : waiter) {
                Asyncio.sleep(100);
            }
            return null;
        };
        try {
            Task<Void> t1 = loop.createTask(waitOne);
            Task<Void> t2 = loop.createTask(waitOne);
            loop.runUntilComplete(() -> Asyncio.sleep(2, null));
            t1.cancel();
            t2.cancel();
            assertThrows(CancelledError.class, () -> loop.runUntilComplete(t1));
            assertThrows(CancelledError.class, () -> loop.runUntilComplete(t2));
            assertEquals(0, finalized[0]);
            loop.runUntilComplete(() -> {
                loop.shutdownAsyncgens();
                return null;
            });
            assertEquals(2, finalized[0]);
        } finally {
            loop.close();
        }
    }

    @Test
    void asyncioRunClosesGeneratorAbandonedAfterBreakWithoutReportingErrors() {
        List<Map<String, Object>> reports = new ArrayList<>();
        List<String> log = new ArrayList<>();
        AsyncGenerator<Integer> kept = Asyncio.generator(out -> {
            try {
                out.yield(1);
                out.yield(2);
            } finally {
                Asyncio.sleep(0.1);
                log.add("closed by shutdown");
            }
        });
        run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context));
            for (int ignored : kept) {
                break;
            }
            return null;
        });
        assertEquals(List.of("closed by shutdown"), log);
        assertEquals(List.of(), reports);
        assertTrue(kept.isFinished());
    }

    @Test
    void generatorsAreClosedAtShutdownAfterTasksAndBeforeTheDefaultExecutor() {
        List<String> log = new ArrayList<>();
        AsyncGenerator<Integer> kept = Asyncio.generator(out -> {
            try {
                out.yield(1);
                out.yield(2);
            } finally {
                log.add(Asyncio.toThread(() -> "finally used the default executor"));
            }
        });
        run(() -> {
            kept.anext();
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(100);
                } finally {
                    log.add("pending task cancelled");
                }
            });
            Asyncio.sleep(0);
            return null;
        });
        assertEquals(List.of("pending task cancelled", "finally used the default executor"), log);
    }

    @Test
    void shutdownAsyncgensReportsExceptionRaisedWhileClosing() {
        List<Map<String, Object>> reports = new ArrayList<>();
        AsyncGenerator<Integer> kept = Asyncio.generator(out -> {
            try {
                out.yield(1);
                out.yield(2);
            } finally {
                throw new ArithmeticException("/ by zero");
            }
        });
        run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context));
            for (int ignored : kept) {
                break;
            }
            return null;
        });
        assertEquals(1, reports.size());
        Map<String, Object> report = reports.get(0);
        assertSame(kept, report.get("asyncgen"));
        assertInstanceOf(ArithmeticException.class, report.get("exception"));
        assertTrue(((String) report.get("message")).startsWith("an error occurred during closing of asynchronous generator"),
                (String) report.get("message"));
    }

    @Test
    void generatorNeverIteratedIsNotClosedByShutdown() {
        int[] runs = new int[1];
        AsyncGenerator<Integer> untouched = Asyncio.generator(out -> {
            runs[0]++;
            out.yield(1);
        });
        run(() -> Asyncio.sleep(0, null));
        assertEquals(0, runs[0]);
        assertFalse(untouched.isFinished());
    }

    @Test
    void generatorFirstIteratedAfterShutdownAsyncgensLogsWarningAndIsStillClosed() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("io.jasyncio");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        boolean useParentHandlers = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false);
        List<String> log = new ArrayList<>();
        try {
            run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                loop.shutdownAsyncgens();
                AsyncGenerator<Integer> late = Asyncio.generator(out -> {
                    try {
                        out.yield(1);
                    } finally {
                        log.add("closed");
                    }
                });
                String unstarted = late.toString();
                late.anext();
                assertEquals(List.of("asynchronous generator " + unstarted
                        + " was scheduled after loop.shutdownAsyncgens() call"), warnings);
                loop.shutdownAsyncgens();
                return null;
            });
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(useParentHandlers);
        }
        assertEquals(List.of("closed"), log);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void garbageCollectedUnfinishedGeneratorIsClosedByATaskOfItsLoop() {
        List<String> log = new CopyOnWriteArrayList<>();
        run(() -> {
            Future<Void> finalized = Asyncio.getRunningLoop().createFuture();
            WeakReference<AsyncGenerator<Integer>> ref = iterateTwiceAndDrop(log, finalized);
            for (int i = 0; i < 100 && ref.get() != null; i++) {
                System.gc();
            }
            assertNull(ref.get(), "the generator should have been collected");
            finalized.await();
            return null;
        });
        assertEquals(List.of("got 1", "got 1", "finally in task Task-2 at 0.01"), log);
    }

    private static WeakReference<AsyncGenerator<Integer>> iterateTwiceAndDrop(List<String> log, Future<Void> finalized) {
        AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
            try {
                while (true) {
                    out.yield(1);
                }
            } finally {
                Asyncio.sleep(0.01);
                log.add("finally in task " + Asyncio.currentTask().getName() + " at " + Asyncio.getRunningLoop().time());
                finalized.setResult(null);
            }
        });
        log.add("got " + gen.anext());
        log.add("got " + gen.anext());
        return new WeakReference<>(gen);
    }

    // ---------------------------------------------------------------- stream

    @Test
    void streamPullsValuesLazilyAndClosingItClosesTheGenerator() {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    for (int i = 0; ; i++) {
                        Asyncio.sleep(1);
                        events.add("produced " + i);
                        out.yield(i);
                    }
                } finally {
                    events.add("closed");
                }
            });
            try (Stream<Integer> s = gen.stream()) {
                events.add("mapped " + s.map(v -> v * 10).limit(2).toList());
            }
            events.add("at " + Asyncio.getRunningLoop().time());
            return events;
        });
        assertEquals(List.of("produced 0", "produced 1", "mapped [0, 10]", "closed", "at 2.0"), log);
    }

    @Test
    void manyYieldsWithoutAwaitsDeliverEveryValue() {
        long sum = run(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                for (int i = 0; i < 100_000; i++) {
                    out.yield(i);
                }
            });
            long total = 0;
            for (int v : gen) {
                total += v;
            }
            return total;
        });
        assertEquals(100_000L * 99_999 / 2, sum);
    }
}
