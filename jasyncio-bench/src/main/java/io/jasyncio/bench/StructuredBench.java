package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per task of gather, TaskGroup and wait_for, and of arming and disarming a timeout that
 * does not fire, on each coroutine backend. Every task yields once ({@code sleep(0)}), so a
 * figure includes one suspend/resume; compare {@code waitFor} with {@code gather} for the cost of
 * the timeout alone. See docs/PERFORMANCE.md for the command and the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx1g"})
public class StructuredBench {
    static final int TASKS = 10_000;
    /** Timeouts per loop run: the loop drops cancelled timers between runs, as it does whenever a task suspends. */
    static final int TIMEOUTS = 1_000;

    /** The coroutine backend; set before any loop exists, so it decides this fork's choice. */
    @Param({"continuation", "virtual"})
    public String backend;

    private EventLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("jasyncio.backend", backend);
        loop = EventLoop.newEventLoop();
        if (!loop.backendName().equals(backend)) {
            throw new IllegalStateException("asked for the " + backend + " backend, got " + loop.backendName());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    private static int yieldOnce(int i) {
        Asyncio.sleep(0);
        return i;
    }

    /** gather() of 10,000 tasks: create them, gather, await the list. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int gather() {
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> yieldOnce(n)));
            }
            return Asyncio.gather(tasks).await().size();
        });
    }

    /** A TaskGroup of 10,000 tasks. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int taskGroup() {
        return loop.runUntilComplete(() -> {
            int[] created = {0};
            TaskGroup.run(tg -> {
                for (int i = 0; i < TASKS; i++) {
                    int n = i;
                    tg.createTask(() -> yieldOnce(n));
                    created[0]++;
                }
            });
            return created[0];
        });
    }

    /** 10,000 tasks each awaiting its work through wait_for with a 5 s timeout that never fires, gathered. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int waitFor() {
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> Asyncio.waitFor(() -> yieldOnce(n), 5.0)));
            }
            return Asyncio.gather(tasks).await().size();
        });
    }

    /** Arming and disarming a 5 s timeout around a body that does not suspend: timeout(5.0, body). */
    @Benchmark
    @OperationsPerInvocation(TIMEOUTS)
    public long timeoutArmDisarm() {
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int i = 0; i < TIMEOUTS; i++) {
                int n = i;
                sum += Asyncio.timeout(5.0, () -> n);
            }
            return sum;
        });
    }
}
