package io.jasyncio;

import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {
    private static final int N = 5;

    private static List<Task<?>> spawn(int n, AsyncRunnable body) {
        List<Task<?>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Asyncio.createTask(body));
        }
        return tasks;
    }

    private static void awaitAll(List<Task<?>> tasks) {
        for (Task<?> t : tasks) {
            t.await();
        }
    }

    @Test
    void partiesBelowOneAreRejectedNamingTheValue() {
        assertEquals("parties must be >= 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new Barrier(0)).getMessage());
        assertEquals("parties must be >= 1: -4",
                assertThrows(IllegalArgumentException.class, () -> new Barrier(-4)).getMessage());
        assertEquals(5, new Barrier(5).parties());
    }

    @Test
    void lastArrivalReleasesAllWithDistinctIndices() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Integer> indices = new ArrayList<>();
            awaitAll(spawn(3, () -> indices.add(barrier.await())));
            Collections.sort(indices);
            assertEquals(List.of(0, 1, 2), indices);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void indicesFollowArrivalOrder() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Asyncio.createTask(barrier::await));
                Asyncio.sleep(0);
                assertEquals(i < 2 ? i + 1 : 0, barrier.nWaiting());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(i, tasks.get(i).await());
            }
        });
    }

    @Test
    void waitersSuspendUntilTheSetIsComplete() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> first = Asyncio.createTask(barrier::await);
            Asyncio.sleep(3);
            assertFalse(first.done());
            assertEquals(1, barrier.nWaiting());
            assertEquals("Barrier[filling, waiters:1/2]", barrier.toString());
            assertEquals(1, barrier.await());
            assertEquals(0, first.await());
            assertEquals(3.0, SyncTestSupport.now());
        });
    }

    @Test
    void singlePartyBarrierPassesAtOnceEveryTime() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            assertEquals(0, barrier.await());
            Task<Integer> t1 = Asyncio.createTask(barrier::await);
            Task<Integer> t2 = Asyncio.createTask(barrier::await);
            assertEquals(0, t1.await());
            assertEquals(0, t2.await());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void barrierIsReusableRoundAfterRound() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            List<Task<?>> tasks = spawn(N, () -> {
                barrier.await();
                results.add(true);
                int i = barrier.await();
                results.add(false);
                assertTrue(i >= 0 && i < N);
            });
            awaitAll(tasks);
            assertEquals(2 * N, results.size());
            assertEquals(N, Collections.frequency(results, true));
            assertEquals(N, Collections.frequency(results, false));
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void barrierDrainsBeforeLettingNextRoundIn() {
        // asyncio's test_draining_state: every task but the last leaves while it still drains.
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> draining = new ArrayList<>();
            awaitAll(spawn(N, () -> {
                barrier.await();
                draining.add(barrier.toString().startsWith("Barrier[draining"));
            }));
            assertEquals(N, draining.size());
            assertFalse(draining.get(N - 1), "the last task out ends the drain");
            assertTrue(draining.subList(0, N - 1).stream().allMatch(d -> d));
        });
    }

    @Test
    void tasksArrivingWhileDrainingWaitForNextRound() {
        // asyncio's test_blocking_tasks_while_draining.
        runVirtual(() -> {
            int rewait = 2;
            Barrier barrier = new Barrier(N);
            Barrier others = new Barrier(N - rewait);
            int[] rewaitLeft = {rewait};
            awaitAll(spawn(N, () -> {
                barrier.await();
                if (rewaitLeft[0] > 0) {
                    rewaitLeft[0]--;
                    barrier.await();
                } else {
                    others.await();
                    barrier.await();
                }
            }));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void cancelledWaiterLeavesBarrierWithoutBreakingIt() {
        // asyncio's test_filling_tasks_cancel_one: the barrier counts one task fewer and stays
        // usable; it is not broken (unlike java.util.concurrent.CyclicBarrier).
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Boolean> results = new ArrayList<>();
            AsyncRunnable body = () -> {
                barrier.await();
                results.add(true);
            };
            Task<?> t1 = Asyncio.createTask(body);
            Asyncio.sleep(0);
            assertEquals(1, barrier.nWaiting());
            Task<?> t2 = Asyncio.createTask(body);
            Asyncio.sleep(0);
            assertEquals(2, barrier.nWaiting());

            t1.cancel();
            Asyncio.sleep(0);
            assertEquals(1, barrier.nWaiting());
            assertThrows(CancelledError.class, t1::await);
            assertFalse(barrier.broken());

            Task<?> t3 = Asyncio.createTask(body);
            Asyncio.sleep(0);
            assertEquals(2, barrier.nWaiting());
            Task<?> t4 = Asyncio.createTask(body);
            awaitAll(List.of(t2, t3, t4));
            assertEquals(3, results.size());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void waiterCancelledAfterReleaseLetsTheOthersPass() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                tasks.add(Asyncio.createTask(barrier::await));
            }
            Asyncio.sleep(0);
            tasks.add(Asyncio.createTask(barrier::await));
            Asyncio.sleep(0);
            // The third arrival released the round; cancel a released waiter before it resumes.
            tasks.get(0).cancel();
            assertThrows(CancelledError.class, tasks.get(0)::await);
            assertEquals(1, tasks.get(1).await());
            assertEquals(2, tasks.get(2).await());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertEquals("Barrier[filling, waiters:0/3]", barrier.toString(), "ready for the next round");
        });
    }

    @Test
    void resetOfIdleBarrierKeepsItFilling() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            barrier.reset();
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertEquals(0, barrier.await());
        });
    }

    @Test
    void resetBreaksWaitingTasksThenBarrierWorksAgain() {
        // asyncio's test_reset_barrier_while_tasks_waiting.
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> broken = new ArrayList<>();
            List<Task<?>> tasks = spawn(N - 1, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    assertEquals("Abort or reset of barrier", e.getMessage());
                    broken.add(true);
                }
            });
            Asyncio.sleep(0);
            Asyncio.createTask(() -> barrier.reset());
            awaitAll(tasks);
            assertEquals(N - 1, broken.size());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.broken());
            List<Integer> indices = new ArrayList<>();
            awaitAll(spawn(N, () -> indices.add(barrier.await())));
            assertEquals(IntStream.range(0, N).boxed().toList(), indices.stream().sorted().toList());
        });
    }

    @Test
    void resetWhileHalfDrainingBreaksOnlyTheWaiters() {
        // asyncio's test_reset_barrier_when_tasks_half_draining_half_blocking.
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            int blocking = N / 2;
            List<Boolean> caught = new ArrayList<>();
            List<Boolean> caughtLater = new ArrayList<>();
            int[] count = {0};
            awaitAll(spawn(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    caught.add(true);
                    barrier.await();
                    return;
                }
                count[0]++;
                if (count[0] > blocking) {
                    barrier.reset();
                    barrier.await();
                } else {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        caughtLater.add(true);
                    }
                }
            }));
            assertEquals(Collections.nCopies(blocking, true), caught);
            assertEquals(List.of(), caughtLater);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void resetWhileDrainingDoesNotBreakTheDrainingTasks() {
        // asyncio's test_reset_barrier_while_tasks_draining.
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> secondPass = new ArrayList<>();
            List<Boolean> errors = new ArrayList<>();
            List<Boolean> lastPass = new ArrayList<>();
            int[] count = {0};
            awaitAll(spawn(N, () -> {
                barrier.await();
                count[0]++;
                if (count[0] == N) {
                    barrier.reset();
                    barrier.await();
                } else {
                    try {
                        barrier.await();
                        secondPass.add(true);
                    } catch (BrokenBarrierError e) {
                        errors.add(true);
                    }
                }
                barrier.await();
                lastPass.add(true);
            }));
            assertEquals(N - 1, secondPass.size());
            assertEquals(List.of(), errors);
            assertEquals(N, lastPass.size());
            assertFalse(barrier.broken());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void abortBreaksBarrierForCurrentAndFutureWaiters() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> waiter = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            barrier.abort();
            assertTrue(barrier.broken());
            assertEquals("Barrier[broken]", barrier.toString());
            assertEquals("Abort or reset of barrier",
                    assertThrows(BrokenBarrierError.class, waiter::await).getMessage());
            assertEquals("Barrier aborted", assertThrows(BrokenBarrierError.class, barrier::await).getMessage());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void abortWhenOneTaskFailsBreaksTheOthers() {
        // asyncio's test_abort_barrier_when_exception.
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> passed = new ArrayList<>();
            List<Boolean> broken = new ArrayList<>();
            awaitAll(spawn(N, () -> {
                try {
                    int i = barrier.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("task failed");
                    }
                    barrier.await();
                    passed.add(true);
                } catch (BrokenBarrierError e) {
                    broken.add(true);
                } catch (IllegalStateException e) {
                    barrier.abort();
                }
            }));
            assertTrue(barrier.broken());
            assertEquals(List.of(), passed);
            assertEquals(N - 1, broken.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void resetRepairsAnAbortedBarrier() {
        // asyncio's test_abort_barrier_when_exception_then_resetting.
        runVirtual(() -> {
            Barrier barrier1 = new Barrier(N);
            Barrier barrier2 = new Barrier(N);
            List<Boolean> passed = new ArrayList<>();
            List<Boolean> broken = new ArrayList<>();
            List<Boolean> afterReset = new ArrayList<>();
            awaitAll(spawn(N, () -> {
                try {
                    int i = barrier1.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("task failed");
                    }
                    barrier1.await();
                    passed.add(true);
                } catch (BrokenBarrierError e) {
                    broken.add(true);
                } catch (IllegalStateException e) {
                    barrier1.abort();
                }
                int i = barrier2.await();
                if (i == N / 2) {
                    barrier1.reset();
                }
                barrier2.await();
                barrier1.await();
                afterReset.add(true);
            }));
            assertFalse(barrier1.broken());
            assertEquals(List.of(), passed);
            assertEquals(N - 1, broken.size());
            assertEquals(N, afterReset.size());
            assertEquals(0, barrier1.nWaiting());
        });
    }

    @Test
    void toStringShowsEachState() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            assertEquals("Barrier[filling, waiters:0/5]", barrier.toString());
            List<Task<?>> waiters = new ArrayList<>(spawn(2, () -> barrier.await()));
            Asyncio.sleep(0);
            assertEquals("Barrier[filling, waiters:2/5]", barrier.toString());
            waiters.addAll(spawn(3, () -> barrier.await()));
            Asyncio.sleep(0);
            assertTrue(barrier.toString().startsWith("Barrier[draining"), barrier.toString());
            waiters.addAll(spawn(2, () -> barrier.await()));
            Asyncio.sleep(0);
            barrier.reset();
            assertTrue(barrier.toString().startsWith("Barrier[resetting"), barrier.toString());
            waiters.addAll(spawn(2, () -> barrier.await()));
            Asyncio.sleep(0);
            barrier.abort();
            assertEquals("Barrier[broken]", barrier.toString());
            for (Task<?> t : waiters) {
                try {
                    t.await();
                } catch (BrokenBarrierError expected) {
                    // Tasks caught by the reset or the abort.
                }
            }
        });
    }
}
