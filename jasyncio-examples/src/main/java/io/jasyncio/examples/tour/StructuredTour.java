package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeoutError;
import io.jasyncio.WaitResult;
import java.util.ArrayList;
import java.util.List;

/** Tour sections for structured concurrency and time: TaskGroup, gather and friends, timeouts, shield. */
public final class StructuredTour {
    private StructuredTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("TaskGroup", StructuredTour::taskGroup),
                new Section("gather, as_completed", StructuredTour::gatherAndFriends),
                new Section("Timeouts, shield", StructuredTour::timeoutsAndShield));
    }

    static String taskGroup() {
        return Asyncio.run(() -> {
            List<Task<Void>> sleepers = new ArrayList<>();
            long start = System.nanoTime();
            try {
                TaskGroup.run(tg -> {
                    for (int i = 0; i < 1000; i++) {
                        sleepers.add(tg.createTask(() -> Asyncio.sleep(10)));
                    }
                    tg.createTask(() -> {
                        Asyncio.sleep(0.05);
                        throw new IllegalStateException("one task failed");
                    });
                });
                throw new AssertionError("the group did not raise");
            } catch (ExceptionGroup eg) {
                check(eg.exceptions().size() == 1, "expected one error: " + eg);
            }
            double ms = (System.nanoTime() - start) / 1e6;
            for (Task<Void> t : sleepers) {
                check(t.cancelled(), "a sibling of the failed task was not cancelled");
            }
            check(ms < 5000, "the group waited for the sleepers: " + ms + " ms");
            return String.format("1,000 tasks cancelled by one failure at 50 ms; ExceptionGroup after %.0f ms", ms);
        });
    }

    static String gatherAndFriends() {
        return Asyncio.run(() -> {
            int n = 10_000;
            List<Task<Integer>> tasks = new ArrayList<>(n);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    return k;
                }));
            }
            List<Integer> results = Asyncio.gather(tasks).await();
            double perTask = (System.nanoTime() - start) / (double) n;
            for (int i = 0; i < n; i++) {
                check(results.get(i) == i, "gather lost the argument order");
            }
            List<Task<Integer>> racers = new ArrayList<>();
            List<Integer> finished = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int k = i;
                racers.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(0.03 - 0.01 * k);
                    finished.add(k);
                    return k;
                }));
            }
            List<Integer> order = new ArrayList<>();
            for (Future<Integer> f : Asyncio.asCompleted(racers)) {
                order.add(f.result());
            }
            check(order.equals(finished), "as_completed order " + order + ", completion order " + finished);
            WaitResult<Task<Integer>> first = Asyncio.wait(List.of(
                    Asyncio.createTask(() -> Asyncio.sleep(0.01, 1)), Asyncio.createTask(() -> Asyncio.sleep(5, 2))),
                    ReturnWhen.FIRST_COMPLETED);
            check(first.done().size() == 1 && first.pending().size() == 1, "wait(FIRST_COMPLETED): " + first);
            return String.format("gather of 10,000 tasks: %.2f us per task; as_completed and wait in completion order",
                    perTask / 1000);
        });
    }

    static String timeoutsAndShield() {
        return Asyncio.run(() -> {
            Task<String> slow = Asyncio.createTask(() -> Asyncio.sleep(10, "late"));
            long start = System.nanoTime();
            try {
                Asyncio.waitFor(slow, 0.05);
                throw new AssertionError("waitFor did not time out");
            } catch (TimeoutError expected) {
                check(slow.cancelled(), "waitFor did not cancel the task");
            }
            double ms = (System.nanoTime() - start) / 1e6;
            check(ms >= 49 && ms < 5000, "timed out after " + ms + " ms");
            Task<String> important = Asyncio.createTask(() -> Asyncio.sleep(0.02, "saved"));
            Task<String> caller = Asyncio.createTask(() -> {
                try {
                    return Asyncio.shield(important).await();
                } catch (CancelledError e) {
                    return important.await();
                }
            });
            Asyncio.sleep(0.005);
            caller.cancel();
            check("saved".equals(caller.await()), "the shielded task did not finish");
            return String.format("waitFor(10 s task, 50 ms) timed out after %.1f ms and cancelled it; shield kept a task alive", ms);
        });
    }
}
