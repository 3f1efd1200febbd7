package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaskGroupTest {

    static final class MyError extends Exception {
        private static final long serialVersionUID = 1L;

        MyError(String message) {
            super(message);
        }
    }

    private static Set<Class<?>> errorTypes(ExceptionGroup eg) {
        Set<Class<?>> types = new HashSet<>();
        for (Throwable e : eg.exceptions()) {
            types.add(e.getClass());
        }
        return types;
    }

    private static void crashAfter(double seconds) {
        Asyncio.sleep(seconds);
        throw new ArithmeticException("/ by zero");
    }

    private static int taskCount(TaskGroup tg) {
        Matcher m = Pattern.compile("tasks=(\\d+)").matcher(tg.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void groupWaitsForAllItsTasks() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(0.1, 42)));
                tasks.add(tg.createTask(() -> Asyncio.sleep(0.2, 11)));
            });
            assertEquals(42, tasks.get(0).result());
            assertEquals(11, tasks.get(1).result());
            assertEquals(0.2, now(), 1e-9);
        });
    }

    @Test
    void taskCreatedLaterInTheBodyIsAwaitedToo() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(0.1, 42)));
                Asyncio.sleep(0.15);
                tasks.add(tg.createTask(() -> Asyncio.sleep(0.2, 11)));
            });
            assertEquals(42, tasks.get(0).result());
            assertEquals(11, tasks.get(1).result());
            assertEquals(0.35, now(), 1e-9);
        });
    }

    @Test
    void taskCancelledByTheBodyDoesNotDisturbTheGroup() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            TaskGroup.run(tg -> {
                Task<Integer> t1 = tg.createTask(() -> Asyncio.sleep(1, 42));
                tasks.add(t1);
                Asyncio.sleep(0.15);
                t1.cancel();
                tasks.add(tg.createTask(() -> Asyncio.sleep(0.2, 11)));
            });
            assertTrue(tasks.get(0).cancelled());
            assertEquals(11, tasks.get(1).result());
        });
    }

    @Test
    void firstFailureCancelsTheOtherTasksAndRaisesAnExceptionGroup() {
        TestLoops.runVirtual(() -> {
            boolean[] t2Cancelled = {false};
            int[] num = {0};
            List<Task<Void>> t2 = new ArrayList<>();
            Task<Void> runner = Asyncio.createTask(() -> {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> crashAfter(0.1));
                    t2.add(tg.createTask(() -> {
                        try {
                            Asyncio.sleep(1);
                        } catch (CancelledError e) {
                            t2Cancelled[0] = true;
                            throw e;
                        }
                        num[0]++;
                    }));
                });
                num[0] += 10;
            });
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals("unhandled errors in a TaskGroup", eg.message());
            assertEquals(0, num[0]);
            assertTrue(t2Cancelled[0]);
            assertTrue(t2.get(0).cancelled());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void childFailureCancelsTheBodyAndEveryOtherChild() {
        TestLoops.runVirtual(() -> {
            boolean[] t2Cancelled = {false};
            boolean[] bodyCancelled = {false};
            int[] num = {0};
            Task<Void> runner = Asyncio.createTask(() -> {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> crashAfter(0.1));
                    tg.createTask(() -> crashAfter(0.1));
                    tg.createTask(() -> crashAfter(0.1));
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            t2Cancelled[0] = true;
                            throw e;
                        }
                        num[0]++;
                    });
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        bodyCancelled[0] = true;
                        throw e;
                    }
                });
                num[0] += 10;
            });
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            // All three crash in the same iteration, before the cancellation reaches them.
            assertEquals(3, eg.exceptions().size());
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals(0, num[0]);
            assertTrue(t2Cancelled[0]);
            assertTrue(bodyCancelled[0]);
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void outsideCancellationCancelsTheChildrenAndPropagatesWithItsMessage() {
        TestLoops.runVirtual(() -> {
            int[] num = {0};
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < 5; i++) {
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            num[0]++;
                            throw e;
                        }
                    });
                }
            }));
            Asyncio.sleep(0.1);
            assertFalse(runner.done());
            runner.cancel("test");
            CancelledError e = assertThrows(CancelledError.class, runner::await);
            assertEquals("test", e.getMessage());
            assertEquals(5, num[0]);
            assertTrue(runner.cancelled());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void outsideCancellationReachesTheBodyAndTheChildren() {
        TestLoops.runVirtual(() -> {
            int[] num = {0};
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < 5; i++) {
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            num[0]++;
                            throw e;
                        }
                    });
                }
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    num[0] += 10;
                    throw e;
                }
            }));
            Asyncio.sleep(0.1);
            runner.cancel();
            assertThrows(CancelledError.class, runner::await);
            assertEquals(15, num[0]);
        });
    }

    @Test
    void childrenFailingWhileCancelledFromOutsideTurnTheCancellationIntoAnExceptionGroup() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < 5; i++) {
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            Integer.parseInt("not a number");
                        }
                    });
                }
                Asyncio.sleep(10);
            }));
            Asyncio.sleep(0.1);
            runner.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(5, eg.exceptions().size());
            assertEquals(Set.of(NumberFormatException.class), errorTypes(eg));
            assertFalse(runner.cancelled());
        });
    }

    @Test
    void bodyFailureAfterSuspendingCancelsTheChildren() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(1, 42)));
                tasks.add(tg.createTask(() -> Asyncio.sleep(2, 11)));
                Asyncio.sleep(0.1);
                throw new ArithmeticException("/ by zero");
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void bodyFailureBeforeSuspendingCancelsTheChildrenBeforeTheyStart() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            MyError boom = new MyError("body");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(1, 42)));
                tasks.add(tg.createTask(() -> Asyncio.sleep(2, 11)));
                throw boom;
            }));
            assertEquals(List.of(boom), eg.exceptions());
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertEquals(0.0, now());
        });
    }

    @Test
    void innerGroupErrorsDuringOutsideCancellationNestAsAGroupInTheOuterGroup() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(outer -> TaskGroup.run(inner -> {
                for (int i = 0; i < 5; i++) {
                    inner.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            Integer.parseInt("x");
                        }
                    });
                }
                Asyncio.sleep(10);
            })));
            Asyncio.sleep(0.1);
            runner.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(ExceptionGroup.class), errorTypes(eg));
            assertEquals(Set.of(NumberFormatException.class), errorTypes((ExceptionGroup) eg.exceptions().get(0)));
        });
    }

    @Test
    void outerChildFailureCancelsANestedGroupWhoseCancellationIsAbsorbed() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(() -> {
                    Asyncio.sleep(0.1);
                    throw new IllegalArgumentException("0.1");
                });
                TaskGroup.run(g2 -> g2.createTask(() -> {
                    Asyncio.sleep(10);
                    throw new IllegalArgumentException("10");
                }));
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(1, eg.exceptions().size());
            assertEquals("0.1", eg.exceptions().get(0).getMessage());
            assertEquals(0.1, now(), 1e-9);
        });
    }

    @Test
    void nestedGroupFailureAppearsAsAGroupInsideTheOuterGroup() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(() -> {
                    Asyncio.sleep(10);
                    throw new IllegalArgumentException("10");
                });
                TaskGroup.run(g2 -> g2.createTask(() -> {
                    Asyncio.sleep(0.1);
                    throw new IllegalArgumentException("0.1");
                }));
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(ExceptionGroup.class), errorTypes(eg));
            ExceptionGroup inner = (ExceptionGroup) eg.exceptions().get(0);
            assertEquals("0.1", inner.exceptions().get(0).getMessage());
        });
    }

    @Test
    void childCrashWhileTheBodyHandlesAnOutsideCancellationWinsOverTheCancellation() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> crashAfter(0.3));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    throw e;
                }
            }));
            Asyncio.sleep(0.1);
            runner.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals(0.3, now(), 1e-9);
        });
    }

    @Test
    void childCrashWhileTheGroupTaskIsAwaitedByAnotherTaskStillRaisesTheGroup() {
        TestLoops.runVirtual(() -> {
            Task<Void> nested = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> crashAfter(0.3));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    throw e;
                }
            }));
            Task<Void> runner = Asyncio.createTask(() -> {
                nested.await();
            });
            Asyncio.sleep(0.1);
            runner.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
        });
    }

    @Test
    void emptyGroupPropagatesTheBodyCancellation() {
        TestLoops.runVirtual(() -> {
            int[] num = {0};
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    num[0] += 10;
                    throw e;
                }
            }));
            Asyncio.sleep(0.1);
            runner.cancel();
            assertThrows(CancelledError.class, runner::await);
            assertEquals(10, num[0]);
        });
    }

    @Test
    void bodyTurningTheCancellationIntoAnErrorRaisesAGroupWithIt() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    throw new MyError("instead");
                }
            }));
            Asyncio.sleep(0.1);
            runner.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(Set.of(MyError.class), errorTypes(eg));
        });
    }

    @Test
    void bodyErrorComesAfterTheTaskErrorsInTheGroup() {
        TestLoops.runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> crashAfter(0.1));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    throw new MyError("cleanup");
                }
            }));
            assertEquals(2, eg.exceptions().size());
            assertInstanceOf(ArithmeticException.class, eg.exceptions().get(0));
            assertInstanceOf(MyError.class, eg.exceptions().get(1));
        });
    }

    @Test
    void cancellingTheGroupTaskWhileChildrenSleepRaisesCancelledError() {
        TestLoops.runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> Asyncio.sleep(1, 42));
                g.createTask(() -> Asyncio.sleep(2, 11));
            }));
            Asyncio.sleep(0.05);
            runner.cancel();
            assertThrows(CancelledError.class, runner::await);
            assertEquals(0.05, now(), 1e-9);
        });
    }

    @Test
    void finishedTasksLeaveTheGroup() {
        TestLoops.runVirtual(() -> TaskGroup.run(g -> {
            for (int count = 0; count < 10; count++) {
                Asyncio.sleep(0.1);
                g.createTask(() -> Asyncio.sleep(0.3));
                if (count == 5) {
                    assertTrue(taskCount(g) < 5, g.toString());
                }
            }
            Asyncio.sleep(1.35);
            assertEquals(0, taskCount(g), g.toString());
        }));
    }

    @Test
    void tasksOfTheGroupMayCreateMoreTasksInIt() {
        TestLoops.runVirtual(() -> {
            List<Task<Void>> created = new ArrayList<>();
            TaskGroup.run(g -> g.createTask(() -> {
                Asyncio.sleep(0.1);
                created.add(g.createTask(() -> Asyncio.sleep(0.1)));
                created.add(g.createTask(() -> Asyncio.sleep(0.2)));
            }));
            assertEquals(2, created.size());
            assertTrue(created.get(1).done());
            assertEquals(0.3, now(), 1e-9);
        });
    }

    @Test
    void failureStopsTasksThatKeepSpawningTasks() {
        TestLoops.runVirtual(() -> {
            int[] hydras = {0};
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                AsyncRunnable[] hydra = new AsyncRunnable[1];
                hydra[0] = () -> {
                    hydras[0]++;
                    Asyncio.sleep(0.01);
                    g.createTask(hydra[0]);
                    g.createTask(hydra[0]);
                };
                g.createTask(hydra[0]);
                g.createTask(() -> {
                    while (hydras[0] < 10) {
                        Asyncio.sleep(0.015);
                    }
                    throw new ArithmeticException("/ by zero");
                });
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertTrue(hydras[0] >= 10);
        });
    }

    @Test
    void taskOptionsNameAndContextReachTheTask() {
        TestLoops.runVirtual(() -> {
            ContextVar<Integer> var = new ContextVar<>("var");
            String[] seen = new String[1];
            TaskGroup.run(g -> {
                Task<Void> named = g.createTask(() -> {
                    seen[0] = Asyncio.currentTask().getName();
                    return null;
                }, "example name");
                assertEquals("example name", named.getName());
                Context ctx = Context.copyCurrent();
                assertNull(ctx.get(var));
                g.createTask(() -> {
                    Asyncio.sleep(0);
                    var.set(1);
                    return null;
                }, TaskOptions.DEFAULT.withContext(ctx)).await();
                assertEquals(1, ctx.get(var));
                g.createTask(() -> {
                    Asyncio.sleep(0);
                    var.set(2);
                    return null;
                }, TaskOptions.DEFAULT.withContext(ctx)).await();
                assertEquals(2, ctx.get(var));
            });
            assertEquals("example name", seen[0]);
        });
    }

    @Test
    void noTaskCanBeCreatedOnceTheGroupIsShuttingDown() {
        TestLoops.runVirtual(() -> {
            IllegalStateException[] refused = new IllegalStateException[1];
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> crashAfter(0.001));
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(1);
                    } catch (CancelledError e) {
                        refused[0] = assertThrows(IllegalStateException.class, () -> g.createTask(() -> crashAfter(0)));
                        throw e;
                    }
                });
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertTrue(refused[0].getMessage().contains("is shutting down"), refused[0].getMessage());
        });
    }

    @Test
    void finishedGroupRejectsNewTasks() {
        TestLoops.runVirtual(() -> {
            TaskGroup[] escaped = new TaskGroup[1];
            TaskGroup.run(g -> escaped[0] = g);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> escaped[0].createTask(() -> Asyncio.sleep(0)));
            assertTrue(e.getMessage().contains("is finished"), e.getMessage());
        });
    }

    @Test
    void groupOutsideATaskIsRejected() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> outcome = loop.createFuture();
            boolean[] bodyRan = {false};
            loop.callSoon(() -> {
                try {
                    TaskGroup.run(g -> bodyRan[0] = true);
                    outcome.setResult(null);
                } catch (IllegalStateException e) {
                    outcome.setResult(e);
                }
            });
            Throwable e = outcome.await();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("parent task"), e.getMessage());
            assertFalse(bodyRan[0]);
        });
    }

    @Test
    void cleanupErrorOfTheBodyJoinsTheTaskErrorAndTheGroupCancellationIsWithdrawn() {
        TestLoops.runVirtual(() -> {
            Task<Void> main = Asyncio.createTask(() -> {
                Task<?> self = Asyncio.currentTask();
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                    try {
                        tg.createTask(() -> {
                            throw new MyError("task");
                        });
                        Asyncio.sleep(1);
                    } catch (CancelledError e) {
                        throw new MyError("cleanup");
                    }
                }));
                assertEquals(0, self.cancelling());
                assertEquals(2, eg.exceptions().size());
                assertEquals(Set.of(MyError.class), errorTypes(eg));
            });
            main.await();
        });
    }

    @Test
    void handledGroupErrorLeavesNoCancellationPending() {
        TestLoops.runVirtual(() -> {
            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                Asyncio.sleep(0);
                throw new IllegalStateException("failed");
            })));
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(0);
            Asyncio.sleep(1);
            assertEquals(1.0, now());
        });
    }

    @Test
    void nestedGroupsBothFailingKeepTheCancellationCountBalanced() {
        TestLoops.runVirtual(() -> {
            ExceptionGroup outerError = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(outer -> {
                ExceptionGroup innerError = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(inner -> {
                    inner.createTask(() -> {
                        throw new IllegalStateException("inner");
                    });
                    outer.createTask(() -> {
                        throw new IllegalArgumentException("outer");
                    });
                }));
                assertEquals(Set.of(IllegalStateException.class), errorTypes(innerError));
                assertEquals(1, Asyncio.currentTask().cancelling());
            }));
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes(outerError));
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void outsideCancellationDuringAGroupFailureStaysPendingAfterTheGroup() {
        TestLoops.runVirtual(() -> {
            Future<Void> started = Asyncio.getRunningLoop().createFuture();
            Task<Void> inner = Asyncio.createTask(() -> {
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        started.setResult(null);
                        Asyncio.sleep(0);
                        throw new IllegalStateException("task");
                    });
                    Asyncio.sleep(1);
                    fail("the sleep in the group should have been cancelled");
                }));
                assertEquals(Set.of(IllegalStateException.class), errorTypes(eg));
                assertEquals(1, Asyncio.currentTask().cancelling());
                Asyncio.sleep(1);
                fail("the sleep after the group should have been cancelled");
            });
            started.await();
            assertEquals(0, inner.cancelling());
            inner.cancel();
            assertEquals(1, inner.cancelling());
            assertThrows(CancelledError.class, inner::await);
            assertTrue(inner.cancelled());
            assertEquals(0.0, now());
        });
    }

    @Test
    void taskFailingDuringItsEagerStartStillCancelsItsSiblings() {
        for (boolean eager : new boolean[] {false, true}) {
            TestLoops.runVirtual(() -> {
                if (eager) {
                    Asyncio.getRunningLoop().setTaskFactory(Asyncio.eagerTaskFactory());
                }
                boolean[] ran = {false};
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        tg.createTask(() -> {
                            throw new MyError("third task failed");
                        });
                        assertThrows(CancelledError.class, () -> {
                            Asyncio.sleep(0);  // an eager sibling's failure cancels here
                            Asyncio.sleep(0);  // a scheduled one's here
                        });
                        ran[0] = true;
                    });
                }));
                assertTrue(ran[0], "eager=" + eager);
                assertEquals(List.of(MyError.class), eg.exceptions().stream().map(Object::getClass).toList());
            });
        }
    }

    @Test
    void runnableTasksOfTheGroupRun() {
        TestLoops.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            TaskGroup.run(tg -> {
                Task<Void> t = tg.createTask(() -> {
                    Asyncio.sleep(1);
                    log.add("ran");
                });
                assertFalse(t.done());
            });
            assertEquals(List.of("ran"), log);
        });
    }

    @Test
    void timeoutAroundAGroupCancelsItAndItsCleanupErrorCarriesTheTimeout() {
        TestLoops.runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> Asyncio.timeout(0.01, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(2);
                    } finally {
                        Integer.parseInt("crash in cleanup");
                    }
                });
                try {
                    throw new IllegalArgumentException("body");
                } finally {
                    Asyncio.sleep(1);
                }
            })));
            // The body's own error was replaced by the timeout's cancellation, as in Python.
            assertEquals(List.of(NumberFormatException.class), eg.exceptions().stream().map(Object::getClass).toList());
            assertEquals(1, eg.getSuppressed().length);
            assertInstanceOf(TimeoutError.class, eg.getSuppressed()[0]);
            assertEquals(0.01, now(), 1e-9);
        });
    }

    @Test
    void timeoutAroundAGroupWithoutErrorsRaisesTimeoutError() {
        TestLoops.runVirtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(-1, () -> TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(10)));
                Asyncio.sleep(0);
            })));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(tasks.get(0).cancelled());
            assertEquals(0.0, now());
        });
    }

    // ---- 3.15: TaskGroup.cancel(), entering a group made beforehand, GeneratorExit from the body

    @Test
    void cancelFromTheBodyCancelsTheTasksAndTheBodyAndTheGroupEndsWithoutError() {
        TestLoops.runVirtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            boolean[] bodyGoesOn = {false};
            TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(10)));
                tasks.add(tg.createTask(() -> Asyncio.sleep(20)));
                Asyncio.sleep(1);
                tg.cancel();
                Asyncio.sleep(5);
                bodyGoesOn[0] = true;
            });
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertFalse(bodyGoesOn[0]);
            assertEquals(1.0, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(1);
            assertEquals(2.0, now());
        });
    }

    @Test
    void cancelFromABodyThatThenReturnsLeavesNoCancellationPending() {
        TestLoops.runVirtual(() -> {
            Task<?>[] child = new Task<?>[1];
            TaskGroup.run(tg -> {
                child[0] = tg.createTask(() -> Asyncio.sleep(10));
                tg.cancel();
            });
            assertTrue(child[0].cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(1);
            assertEquals(1.0, now());
        });
    }

    @Test
    void cancelOfAGroupWithoutTasksStillEndsTheBody() {
        TestLoops.runVirtual(() -> {
            boolean[] bodyGoesOn = {false};
            TaskGroup.run(tg -> {
                tg.cancel();
                Asyncio.sleep(5);
                bodyGoesOn[0] = true;
            });
            assertFalse(bodyGoesOn[0]);
            assertEquals(0.0, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void cancelFromATaskOfTheGroupEndsTheGroupEarly() {
        TestLoops.runVirtual(() -> {
            List<Task<?>> tasks = new ArrayList<>();
            TaskGroup.run(tg -> {
                tasks.add(tg.createTask(() -> Asyncio.sleep(10)));
                tasks.add(tg.createTask(() -> {
                    Asyncio.sleep(2);
                    tg.cancel();
                    return "found";
                }));
                Asyncio.sleep(100);
                fail("the body should have been cancelled");
            });
            assertEquals(2.0, now());
            assertTrue(tasks.get(0).cancelled());
            // It cancelled itself too, and returned before a suspension delivered it: cancelled, as in asyncio.
            assertTrue(tasks.get(1).cancelled());
        });
    }

    @Test
    void cancelFromOutsideTheGroupWhileItWaitsForItsTasksEndsItWithoutError() {
        TestLoops.runVirtual(() -> {
            TaskGroup group = new TaskGroup();
            Task<Void> worker = Asyncio.createTask(() -> group.enter(tg -> tg.createTask(() -> Asyncio.sleep(10))));
            Asyncio.sleep(3);
            group.cancel();
            worker.await();
            assertFalse(worker.cancelled());
            assertEquals(3.0, now());
            assertEquals(0, worker.cancelling());
        });
    }

    @Test
    void cancelWaitsForTheCleanupOfTheCancelledTasks() {
        TestLoops.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(1);
                        log.add("cleaned up at " + now());
                    }
                });
                Asyncio.sleep(2);
                tg.cancel();
            });
            assertEquals(List.of("cleaned up at 3.0"), log);
            assertEquals(3.0, now());
        });
    }

    @Test
    void taskFailingWhileTheGroupIsCancelledStillRaisesTheExceptionGroup() {
        TestLoops.runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        throw new MyError("cleanup failed");
                    }
                });
                Asyncio.sleep(1);
                tg.cancel();
            }));
            assertEquals(Set.of(MyError.class), errorTypes(eg));
            assertEquals(0, Asyncio.currentTask().cancelling());
            assertEquals(1.0, now());
        });
    }

    @Test
    void cancelAfterAFailureChangesNothing() {
        TestLoops.runVirtual(() -> {
            int[] cancellingSeen = new int[1];
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> crashAfter(1));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    tg.cancel();
                    cancellingSeen[0] = Asyncio.currentTask().cancelling();
                    throw e;
                }
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals(1, cancellingSeen[0]);
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void cancelIsIdempotentAndRequestsOneCancellationOfTheBody() {
        TestLoops.runVirtual(() -> {
            int[] cancellingSeen = new int[1];
            TaskGroup.run(tg -> {
                tg.createTask(() -> Asyncio.sleep(10));
                tg.cancel();
                tg.cancel();
                cancellingSeen[0] = Asyncio.currentTask().cancelling();
                Asyncio.sleep(1);
            });
            assertEquals(1, cancellingSeen[0]);
            assertEquals(0, Asyncio.currentTask().cancelling());
            assertEquals(0.0, now());
        });
    }

    @Test
    void cancelAfterTheGroupEndedDoesNothing() {
        TestLoops.runVirtual(() -> {
            TaskGroup[] escaped = new TaskGroup[1];
            TaskGroup.run(tg -> {
                escaped[0] = tg;
                tg.createTask(() -> Asyncio.sleep(1));
            });
            escaped[0].cancel();
            assertEquals(0, Asyncio.currentTask().cancelling());
            assertEquals("TaskGroup[entered]", escaped[0].toString());
            Asyncio.sleep(1);
            assertEquals(2.0, now());
        });
    }

    @Test
    void noTaskCanBeCreatedAfterCancel() {
        TestLoops.runVirtual(() -> {
            TaskGroup.run(tg -> {
                tg.cancel();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> tg.createTask(() -> Asyncio.sleep(1)));
                assertTrue(e.getMessage().contains("is shutting down"), e.getMessage());
            });
        });
    }

    @Test
    void cancelBeforeEnteringCancelsTheGroupAsItIsEntered() {
        TestLoops.runVirtual(() -> {
            TaskGroup group = new TaskGroup();
            group.cancel();
            List<String> log = new ArrayList<>();
            group.enter(tg -> {
                log.add("body started");
                assertThrows(IllegalStateException.class, () -> tg.createTask(() -> Asyncio.sleep(1)));
                Asyncio.sleep(5);
                log.add("body went on");
            });
            assertEquals(List.of("body started"), log);
            assertEquals(0.0, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void groupMadeBeforehandRunsWhenEntered() {
        TestLoops.runVirtual(() -> {
            TaskGroup group = new TaskGroup();
            assertEquals("TaskGroup[]", group.toString());
            List<Task<Integer>> tasks = new ArrayList<>();
            group.enter(tg -> {
                assertSame(group, tg);
                tasks.add(tg.createTask(() -> Asyncio.sleep(1, 7)));
            });
            assertEquals(7, tasks.get(0).result());
            assertEquals(1.0, now());
        });
    }

    @Test
    void unenteredGroupRefusesTasks() {
        TestLoops.runVirtual(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new TaskGroup().createTask(() -> Asyncio.sleep(1)));
            assertTrue(e.getMessage().contains("has not been entered"), e.getMessage());
        });
    }

    @Test
    void groupCannotBeEnteredTwice() {
        TestLoops.runVirtual(() -> {
            TaskGroup group = new TaskGroup();
            group.enter(tg -> tg.createTask(() -> Asyncio.sleep(1)));
            boolean[] bodyRan = {false};
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.enter(tg -> bodyRan[0] = true));
            assertTrue(e.getMessage().contains("has already been entered"), e.getMessage());
            assertFalse(bodyRan[0]);
        });
    }

    @Test
    void groupEnteredOutsideATaskStaysUnentered() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            TaskGroup group = new TaskGroup();
            Future<Throwable> outcome = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    group.enter(tg -> fail("the body must not run outside a task"));
                    outcome.setResult(null);
                } catch (IllegalStateException e) {
                    outcome.setResult(e);
                }
            });
            Throwable e = outcome.await();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("parent task"), e.getMessage());
            group.enter(tg -> tg.createTask(() -> Asyncio.sleep(1)));
            assertEquals(1.0, now());
        });
    }

    @Test
    void outsideTimeoutDuringTheCleanupAfterCancelIsNotSwallowed() {
        TestLoops.runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(3600);
                    } finally {
                        Asyncio.sleep(1);
                    }
                });
                Asyncio.sleep(0.1);
                tg.cancel();
            })));
            // The timeout fired at 0.5 while the group waited for the task's cleanup, which ended at 1.1.
            assertEquals(1.1, now(), 1e-9);
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void outsideCancellationDuringTheCleanupAfterCancelReachesTheCaller() {
        TestLoops.runVirtual(() -> {
            Task<Void> worker = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(3600);
                    } finally {
                        Asyncio.sleep(1);
                    }
                });
                Asyncio.sleep(0);  // lets the task start: one cancelled before it starts runs nothing
                tg.cancel();
            }));
            Asyncio.sleep(0.5);
            worker.cancel("stop");
            CancelledError e = assertThrows(CancelledError.class, worker::await);
            assertEquals("stop", e.getMessage());
            assertTrue(worker.cancelled());
            assertEquals(1.0, now());
        });
    }

    @Test
    void taskCancellingTheGroupBeforeItsFirstSuspensionIsCancelledToo() {
        for (boolean eager : new boolean[] {false, true}) {
            TestLoops.runVirtual(() -> {
                if (eager) {
                    Asyncio.getRunningLoop().setTaskFactory(Asyncio.eagerTaskFactory());
                }
                Task<?>[] child = new Task<?>[1];
                TaskGroup.run(tg -> child[0] = tg.createTask(() -> {
                    tg.cancel();
                    Asyncio.sleep(10);
                }));
                assertTrue(child[0].cancelled(), "eager=" + eager);
                assertEquals(0.0, now());
            });
        }
    }

    @Test
    void cancelOfAnInnerGroupLeavesTheOuterGroupRunning() {
        TestLoops.runVirtual(() -> {
            List<Task<Integer>> outerTasks = new ArrayList<>();
            List<String> log = new ArrayList<>();
            TaskGroup.run(outer -> {
                outerTasks.add(outer.createTask(() -> Asyncio.sleep(3, 1)));
                TaskGroup.run(inner -> {
                    inner.createTask(() -> Asyncio.sleep(10));
                    Asyncio.sleep(1);
                    inner.cancel();
                    Asyncio.sleep(10);
                });
                log.add("after inner at " + now());
                Asyncio.sleep(1);
                log.add("outer body done at " + now());
            });
            assertEquals(List.of("after inner at 1.0", "outer body done at 2.0"), log);
            assertEquals(1, outerTasks.get(0).result());
            assertEquals(3.0, now());
        });
    }

    @Test
    void groupInsideAnAsyncGeneratorLetsAcloseCloseIt() {
        TestLoops.runVirtual(() -> {
            Task<?>[] child = new Task<?>[1];
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> TaskGroup.run(tg -> {
                child[0] = tg.createTask(() -> Asyncio.sleep(10));
                out.yield(1);
                out.yield(2);
            }));
            assertEquals(1, gen.anext());
            gen.aclose();
            assertTrue(gen.isFinished());
            assertTrue(child[0].cancelled());
            assertEquals(0.0, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void generatorExitWithAFailedTaskStaysInTheExceptionGroup() {
        TestLoops.runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        throw new MyError("cleanup failed");
                    }
                });
                Asyncio.sleep(0);  // lets the task start, so that its cancellation runs its handler
                out.yield(1);
            }));
            assertEquals(1, gen.anext());
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, gen::aclose);
            assertEquals(Set.of(MyError.class, GeneratorExit.class), errorTypes(eg));
        });
    }

    @Test
    void generatorExitThrownByATaskIsAnErrorOfTheGroup() {
        TestLoops.runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                throw new GeneratorExit();
            })));
            assertEquals(Set.of(GeneratorExit.class), errorTypes(eg));
        });
    }

    @Test
    void aTaskFailingAfterTheGroupsParentTaskEndedIsReportedToTheExceptionHandler() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Map<String, Object>> reported = TestLoops.recordErrors(loop);
            // The group lives in an async generator that its consumer task abandons: the group's
            // parent task ends while the group's task still runs.
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    Asyncio.sleep(5);
                    throw new IllegalStateException("failed after the parent ended");
                });
                out.yield(1);
                out.yield(2);
            }));
            Task<Integer> consumer = Asyncio.createTask(() -> gen.anext());
            assertEquals(1, consumer.await());
            Asyncio.sleep(10);
            assertEquals(1, reported.size(), reported.toString());
            Map<String, Object> context = reported.get(0);
            assertEquals("failed after the parent ended", ((Throwable) context.get("exception")).getMessage());
            assertTrue(context.get("message").toString().contains("is already completed"), context.toString());
            assertTrue(context.get("task") instanceof Task<?>, context.toString());
        });
    }

    @Test
    void toStringShowsTasksErrorsAndState() {
        TestLoops.runVirtual(() -> {
            TaskGroup[] escaped = new TaskGroup[1];
            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                escaped[0] = tg;
                assertEquals("TaskGroup[entered]", tg.toString());
                tg.createTask(() -> Asyncio.sleep(5));
                tg.createTask(() -> Asyncio.sleep(5));
                assertEquals("TaskGroup[tasks=2 entered]", tg.toString());
                tg.createTask(() -> crashAfter(1));
                Asyncio.sleep(2);
            }));
            assertEquals("TaskGroup[errors=1 cancelling]", escaped[0].toString());
        });
    }
}
