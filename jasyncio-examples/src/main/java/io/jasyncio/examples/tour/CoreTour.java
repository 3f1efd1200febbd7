package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TaskOptions;
import io.jasyncio.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Tour sections for the foundation: running, tasks, sleeping, cancellation, eager tasks, threads, the loop. */
public final class CoreTour {
    private CoreTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("asyncio.run", CoreTour::run),
                new Section("create_task", CoreTour::tasks),
                new Section("sleep(0) switch", CoreTour::switches),
                new Section("cancel", CoreTour::cancel),
                new Section("task state", CoreTour::taskState),
                new Section("eager tasks", CoreTour::eager),
                new Section("to_thread", CoreTour::toThread),
                new Section("call_soon_threadsafe", CoreTour::threadsafe),
                new Section("virtual clock", CoreTour::virtualClock),
                new Section("100k tasks", CoreTour::manyTasks));
    }

    static String run() {
        String r = Asyncio.run(() -> {
            Asyncio.sleep(0.01);
            return "result";
        });
        check(r.equals("result"), "asyncio.run returned " + r);
        return "main coroutine returned \"" + r + "\" after a 10 ms sleep on a new loop";
    }

    static String tasks() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(0.2);
                    return n * n;
                }));
            }
            int sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.await();
            }
            double took = loop.time() - start;
            check(sum == 14, "sum of squares was " + sum);
            check(took < 0.5, "three 0.2 s tasks took " + took + " s: they did not overlap");
            return String.format("3 tasks sleeping 0.2 s each finished together in %.2f s, not 0.6 s", took);
        });
    }

    static String switches() {
        return Asyncio.run(() -> {
            int n = 200_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Asyncio.sleep(0);
            }
            double ns = (System.nanoTime() - t0) / (double) n;
            return String.format("%,d suspend/resume round trips through the loop, %.0f ns each (%s backend)",
                    n, ns, Asyncio.getRunningLoop().backendName());
        });
    }

    static String cancel() {
        return Asyncio.run(() -> {
            List<String> cleanup = new ArrayList<>();
            Task<Void> worker = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } finally {
                    cleanup.add("finally ran");
                }
            });
            Asyncio.sleep(0.01);
            worker.cancel("tour says stop");
            try {
                worker.await();
                throw new AssertionError("a cancelled task completed normally");
            } catch (CancelledError e) {
                check("tour says stop".equals(e.getMessage()), "cancel message was " + e.getMessage());
            }
            check(worker.cancelled() && cleanup.size() == 1, "task not cancelled cleanly");
            return "an hour-long sleep was cancelled after 10 ms; its finally block ran; message kept";
        });
    }

    static String taskState() {
        return Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.sleep(0.01, "value"), "worker-1");
            check(!t.done(), "task done before it ran");
            String v = t.await();
            check(t.done() && !t.cancelled() && t.result().equals(v) && t.exception() == null, "bad final state");
            return "done()=" + t.done() + " cancelled()=" + t.cancelled() + " result()=" + t.result()
                    + " getName()=" + t.getName();
        });
    }

    static String eager() {
        return Asyncio.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Asyncio.eagerTaskFactory());
            Task<Integer> t = Asyncio.createTask(() -> 7);
            check(t.done(), "an eager task that never suspends must be done at creation");
            Task<Integer> lazy = Asyncio.createTask(() -> 8, new TaskOptions(null, null, false));
            check(!lazy.done(), "eagerStart=false must schedule the task");
            lazy.await();
            return "eager_task_factory: a task that never suspends was done before create_task returned";
        });
    }

    static String toThread() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] ticks = {0};
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(0.01);
                    ticks[0]++;
                }
            });
            double start = loop.time();
            String thread = Asyncio.toThread(() -> {
                Thread.sleep(200);
                return Thread.currentThread().isVirtual() ? "a virtual thread" : Thread.currentThread().getName();
            });
            double took = loop.time() - start;
            ticker.cancel();
            check(ticks[0] >= 5, "the loop ticked only " + ticks[0] + " times during the blocking call");
            return String.format("a 200 ms blocking call ran on %s; meanwhile the loop ticked %d times (%.2f s)",
                    thread, ticks[0], took);
        });
    }

    static String threadsafe() throws Exception {
        CompletableFuture<String> fromLoop = new CompletableFuture<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            io.jasyncio.Future<String> f = loop.createFuture();
            Thread.ofPlatform().name("tour-sender").start(() -> {
                String sender = Thread.currentThread().getName();
                loop.callSoonThreadsafe(() -> f.setResult("hello from " + sender));
            });
            fromLoop.complete(f.await());
            return null;
        });
        String msg = fromLoop.get();
        return "another thread scheduled a callback that completed a future: " + msg;
    }

    static String virtualClock() {
        long t0 = System.nanoTime();
        double t = Asyncio.run(() -> {
            Asyncio.sleep(24 * 3600);
            return Asyncio.getRunningLoop().time();
        }, () -> EventLoop.newEventLoop(new VirtualClock()), null);
        double real = (System.nanoTime() - t0) / 1e6;
        check(t == 24 * 3600, "virtual time was " + t);
        return String.format("a 24 h sleep on the virtual clock took %.1f ms of real time", real);
    }

    static String manyTasks() {
        return Asyncio.run(() -> {
            int n = 100_000;
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    return k;
                }));
            }
            long sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.await();
            }
            double perTask = (System.nanoTime() - t0) / (double) n;
            check(sum == (long) n * (n - 1) / 2, "wrong sum " + sum);
            return String.format("spawned, ran and joined %,d tasks: %.0f ns per task", n, perTask);
        });
    }
}
