package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.coro.PinnedSuspensionError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void aTaskStartsOnTheNextIterationNotInline() {
        List<String> events = TestLoops.runVirtual(() -> {
            List<String> e = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                e.add("task ran");
            });
            e.add("created");
            t.await();
            return e;
        });
        assertEquals(List.of("created", "task ran"), events);
    }

    @Test
    void defaultNamesCountUpAndNamesCanBeChanged() {
        TestLoops.runVirtual(() -> {
            Task<?> main = Asyncio.currentTask();
            Task<Integer> a = Asyncio.createTask(() -> 1);
            Task<Integer> b = Asyncio.createTask(() -> 2);
            assertTrue(main.getName().matches("Task-\\d+"), main.getName());
            long na = Long.parseLong(a.getName().substring(5));
            assertEquals(na + 1, Long.parseLong(b.getName().substring(5)));
            b.setName("worker");
            assertEquals("worker", b.getName());
            Task<Integer> c = Asyncio.createTask(() -> 3, "named");
            assertEquals("named", c.getName());
            assertEquals(3, c.await());
            return null;
        });
    }

    @Test
    void taskResultAndExceptionAreTheCoroutines() {
        IOException io = new IOException("x");
        TestLoops.runVirtual(() -> {
            Task<Integer> ok = Asyncio.createTask(() -> 5);
            Task<Integer> bad = Asyncio.createTask(() -> {
                throw io;
            });
            assertEquals(5, ok.await());
            assertSame(io, assertThrows(IOException.class, bad::await));
            assertSame(io, bad.exception());
            return null;
        });
    }

    @Test
    void getCoroReturnsTheCoroutineFunction() {
        TestLoops.runVirtual(() -> {
            AsyncCallable<Integer> coro = () -> 1;
            Task<Integer> t = Asyncio.createTask(coro);
            assertSame(coro, t.getCoro());
            return t.await();
        });
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        TestLoops.runVirtual(() -> {
            List<String> ran = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                ran.add("body");
            });
            assertTrue(t.cancel("early"));
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals("early", e.getMessage());
            assertTrue(t.cancelled());
            assertEquals(List.of(), ran);
            return null;
        });
    }

    @Test
    void cancellingAWaitingTaskCancelsTheFutureItAwaits() {
        TestLoops.runVirtual(() -> {
            Future<Integer> inner = Asyncio.getRunningLoop().createFuture();
            Task<Integer> t = Asyncio.createTask(inner::await);
            Asyncio.sleep(0);
            assertTrue(t.cancel("bye"));
            assertTrue(inner.cancelled());
            assertEquals("bye", assertThrows(CancelledError.class, t::await).getMessage());
            assertTrue(t.cancelled());
            return null;
        });
    }

    @Test
    void aCancelRequestIsDeliveredAtTheNextSuspension() {
        TestLoops.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                events.add("still running after cancel()");
                try {
                    Asyncio.sleep(1);
                    events.add("not reached");
                } catch (CancelledError e) {
                    events.add("cancelled at the await");
                    throw e;
                }
            });
            assertThrows(CancelledError.class, t::await);
            assertEquals(List.of("still running after cancel()", "cancelled at the await"), events);
            return null;
        });
    }

    @Test
    void selfCancelledTaskCancelsTheFutureItThenAwaits() {
        TestLoops.runVirtual(() -> {
            Future<Integer> f = Asyncio.getRunningLoop().createFuture();
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                return f.await();
            });
            assertThrows(CancelledError.class, t::await);
            assertTrue(f.cancelled());
            return null;
        });
    }

    @Test
    void aTaskThatSwallowsCancellationKeepsRunning() {
        TestLoops.runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    assertEquals(1, Asyncio.currentTask().cancelling());
                    Asyncio.currentTask().uncancel();
                }
                Asyncio.sleep(1);
                return "survived";
            });
            Asyncio.sleep(1);
            t.cancel();
            assertEquals("survived", t.await());
            assertFalse(t.cancelled());
            assertEquals(0, t.cancelling());
            return null;
        });
    }

    @Test
    void cancellingCountsPendingRequests() {
        TestLoops.runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            assertEquals(0, t.cancelling());
            t.cancel();
            t.cancel();
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertThrows(CancelledError.class, t::await);
            assertEquals(0, t.uncancel() - 0 * t.uncancel());
            return null;
        });
    }

    @Test
    void uncancelToZeroDropsAnUndeliveredCancel() {
        TestLoops.runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Task<?> self = Asyncio.currentTask();
                self.cancel();
                self.uncancel();
                Asyncio.sleep(1);
                return "not cancelled";
            });
            assertEquals("not cancelled", t.await());
            return null;
        });
    }

    @Test
    void cancelReturnsFalseForADoneTask() {
        TestLoops.runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1);
            t.await();
            assertFalse(t.cancel());
            assertEquals(0, t.cancelling());
            return null;
        });
    }

    @Test
    void aTaskCancelledRightBeforeReturningEndsCancelled() {
        TestLoops.runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel("late");
                return "value";
            });
            assertEquals("late", assertThrows(CancelledError.class, t::await).getMessage());
            assertTrue(t.cancelled());
            return null;
        });
    }

    @Test
    void theCancelMessageTravelsToTheAwaiter() {
        TestLoops.runVirtual(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(5));
            Task<Void> outer = Asyncio.createTask(() -> {
                inner.await();
            });
            Asyncio.sleep(1);
            inner.cancel("shutdown");
            assertEquals("shutdown", assertThrows(CancelledError.class, outer::await).getMessage());
            assertTrue(outer.cancelled());
            return null;
        });
    }

    @Test
    void aTaskCannotAwaitItself() {
        TestLoops.runVirtual(() -> {
            Task<Object> t = Asyncio.createTask(() -> {
                @SuppressWarnings("unchecked")
                Task<Object> self = (Task<Object>) Asyncio.currentTask();
                return self.await();
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
            assertTrue(e.getMessage().startsWith("Task cannot await on itself"), e.getMessage());
            return null;
        });
    }

    @Test
    void setResultAndSetExceptionAreNotSupportedOnTasks() {
        TestLoops.runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1);
            assertThrows(UnsupportedOperationException.class, () -> t.setResult(2));
            assertThrows(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()));
            return t.await();
        });
    }

    @Test
    void getStackShowsWhereASuspendedTaskWaits() {
        TestLoops.runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(TaskTest::parkedInANamedMethod);
            Asyncio.sleep(1);
            List<StackTraceElement> stack = t.getStack(0);
            assertTrue(stack.stream().anyMatch(f -> f.getMethodName().equals("parkedInANamedMethod")), stack.toString());
            assertTrue(t.getStack(1).size() <= 1);
            var out = new java.io.ByteArrayOutputStream();
            t.printStack(0, new java.io.PrintStream(out, true));
            assertTrue(out.toString().contains("parkedInANamedMethod"));
            t.cancel();
            return null;
        });
    }

    private static void parkedInANamedMethod() {
        Asyncio.sleep(100);
    }

    @Test
    void currentTaskIsTheRunningTaskAndNullInCallbacks() {
        TestLoops.runVirtual(() -> {
            Task<Task<?>> t = Asyncio.createTask(() -> Asyncio.currentTask());
            assertSame(t, t.await());
            Future<Task<?>> fromCallback = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> fromCallback.setResult(Asyncio.currentTask()));
            assertNull(fromCallback.await());
            return null;
        });
    }

    @Test
    void allTasksListsOnlyPendingTasks() {
        TestLoops.runVirtual(() -> {
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(10));
            Task<Integer> quick = Asyncio.createTask(() -> 1);
            quick.await();
            Set<Task<?>> all = Asyncio.allTasks();
            assertTrue(all.contains(sleeper));
            assertTrue(all.contains(Asyncio.currentTask()));
            assertFalse(all.contains(quick));
            sleeper.cancel();
            return null;
        });
    }

    @Test
    void eagerStartRunsTheTaskUntilItsFirstSuspension() {
        TestLoops.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = Asyncio.createTask(() -> {
                events.add("eager part");
                Asyncio.sleep(1);
                events.add("after suspension");
                return "r";
            }, new TaskOptions(null, null, true));
            events.add("createTask returned");
            assertEquals("r", t.await());
            assertEquals(List.of("eager part", "createTask returned", "after suspension"), events);
            return null;
        });
    }

    @Test
    void anEagerTaskThatNeverSuspendsIsDoneWhenCreated() {
        TestLoops.runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 42, new TaskOptions(null, null, true));
            assertTrue(t.done());
            assertEquals(42, t.result());
            assertFalse(Asyncio.allTasks().contains(t));
            return null;
        });
    }

    @Test
    void anEagerTaskSeesItselfAsCurrentAndItsCreatorAfterwards() {
        TestLoops.runVirtual(() -> {
            Task<?> creator = Asyncio.currentTask();
            Task<Task<?>> t = Asyncio.createTask(() -> Asyncio.currentTask(), new TaskOptions(null, null, true));
            assertSame(t, t.result());
            assertSame(creator, Asyncio.currentTask());
            return null;
        });
    }

    @Test
    void eagerTaskFactoryStartsTasksEagerlyUnlessToldNotTo() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setTaskFactory(Asyncio.eagerTaskFactory());
            assertSame(Asyncio.eagerTaskFactory(), loop.getTaskFactory());
            Task<Integer> eager = Asyncio.createTask(() -> 1);
            assertTrue(eager.done());
            Task<Integer> lazy = Asyncio.createTask(() -> 2, new TaskOptions(null, null, false));
            assertFalse(lazy.done());
            assertEquals(2, lazy.await());
            loop.setTaskFactory(null);
            assertFalse(Asyncio.createTask(() -> 3).done());
            return null;
        });
    }

    @Test
    void createEagerTaskFactoryUsesTheGivenConstructor() {
        TestLoops.runVirtual(() -> {
            List<String> built = new ArrayList<>();
            TaskFactory custom = (loop, coro, options) -> {
                built.add(options.name() + " eager=" + options.eagerStart());
                return new Task<>(loop, coro, options);
            };
            Asyncio.getRunningLoop().setTaskFactory(Asyncio.createEagerTaskFactory(custom));
            Task<Integer> t = Asyncio.createTask(() -> 7, "x");
            assertTrue(t.done());
            assertEquals(List.of("x eager=true"), built);
            return null;
        });
    }

    @Test
    void aTaskFactoryBuildsEveryTask() {
        TestLoops.runVirtual(() -> {
            List<String> names = new ArrayList<>();
            Asyncio.getRunningLoop().setTaskFactory((loop, coro, options) -> {
                Task<?> t = new Task<>(loop, coro, options);
                names.add(t.getName());
                return t;
            });
            Task<Integer> t = Asyncio.createTask(() -> 1, "via-factory");
            assertEquals(List.of("via-factory"), names);
            return t.await();
        });
    }

    @Test
    void aTaskRunsInACopyOfItsCreatorsContext() {
        ContextVar<String> var = new ContextVar<>("v", "unset");
        TestLoops.runVirtual(() -> {
            var.set("parent");
            Task<String> child = Asyncio.createTask(() -> {
                String seen = var.get();
                var.set("child");
                return seen;
            });
            assertEquals("parent", child.await());
            assertEquals("parent", var.get());
            Context given = new Context();
            Task<String> withContext = Asyncio.createTask(var::get, new TaskOptions(null, given, null));
            assertEquals("unset", withContext.await());
            assertSame(given, withContext.getContext());
            return null;
        });
    }

    @Test
    void aTaskExceptionNeverRetrievedIsReported() throws Exception {
        EventLoop loop = TestLoops.virtualLoop();
        try {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            IOException io = new IOException("nobody looked");
            loop.runUntilComplete(() -> {
                Asyncio.createTask(() -> {
                    throw io;
                });
                Asyncio.sleep(1);
                return null;
            });
            assertTrue(TestLoops.gcUntil(() -> {
                loop.callSoon(loop::stop);
                loop.runForever();
                return !errors.isEmpty();
            }));
            assertEquals("Task exception was never retrieved", errors.get(0).get("message"));
            assertSame(io, errors.get(0).get("exception"));
        } finally {
            loop.close();
        }
    }

    @Test
    void debugModeReportsWhereAFailedTaskWasCreated() throws Exception {
        EventLoop loop = TestLoops.virtualLoop();
        loop.setDebug(true);
        try {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            loop.runUntilComplete(() -> {
                createFailingTaskHere();
                Asyncio.sleep(1);
                return null;
            });
            assertTrue(TestLoops.gcUntil(() -> {
                loop.callSoon(loop::stop);
                loop.runForever();
                return !errors.isEmpty();
            }));
            StackTraceElement[] where = (StackTraceElement[]) errors.get(0).get("source_traceback");
            assertNotNull(where, "no source_traceback in debug mode");
            assertTrue(java.util.Arrays.stream(where).anyMatch(f -> f.getMethodName().equals("createFailingTaskHere")));
        } finally {
            loop.close();
        }
    }

    private static void createFailingTaskHere() {
        Asyncio.createTask(() -> {
            throw new IllegalStateException("failed");
        });
    }

    @Test
    void aTaskDestroyedWhilePendingIsReported() throws Exception {
        assumeTrue(Backends.selected().name().equals("continuation"),
                "the JDK keeps parked virtual threads reachable, so a pending task on that backend is never garbage");
        EventLoop loop = TestLoops.virtualLoop();
        try {
            List<Map<String, Object>> errors = TestLoops.recordErrors(loop);
            loop.runUntilComplete(() -> {
                Future<Void> neverCompleted = new Future<>(Asyncio.getRunningLoop());
                Asyncio.createTask(neverCompleted::await, "orphan");
                Asyncio.sleep(1);
                return null;
            });
            assertTrue(TestLoops.gcUntil(() -> {
                loop.callSoon(loop::stop);
                loop.runForever();
                return !errors.isEmpty();
            }), "a pending task nobody can wake was not reported");
            assertEquals("Task was destroyed but it is pending!", errors.get(0).get("message"));
            assertTrue(String.valueOf(errors.get(0).get("task")).contains("orphan"));
        } finally {
            loop.close();
        }
    }

    @Test
    void aSuspensionInsideAClassInitializerFailsWithTheReasonInsteadOfHanging() {
        assumeTrue(Backends.selected().name().equals("continuation"),
                "virtual threads can park inside a class initializer: nothing is pinned on that backend");
        Throwable e = assertThrows(Throwable.class, () -> TestLoops.runVirtual(() -> SuspendsInInitializer.VALUE));
        Throwable cause = e instanceof ExceptionInInitializerError ? e.getCause() : e;
        assertInstanceOf(PinnedSuspensionError.class, cause, String.valueOf(e));
        assertTrue(cause.getMessage().contains("pinned"), cause.getMessage());
    }

    private static final class SuspendsInInitializer {
        static final int VALUE = suspendOnce();

        private static int suspendOnce() {
            Asyncio.sleep(0);
            return 1;
        }
    }

    @Test
    void toStringNamesTheTaskAndItsState() {
        TestLoops.runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 3, "shown");
            assertEquals("Task[name=shown, pending]", t.toString());
            t.await();
            assertEquals("Task[name=shown, finished result=3]", t.toString());
            return null;
        });
    }
}
