package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One suspend/resume round trip through the loop: a task calls {@code Asyncio.sleep(0)}, its
 * stack is suspended, the loop runs an iteration and resumes it. Score: nanoseconds per round
 * trip. {@code tasks} tasks share the {@value #ROUND_TRIPS} round trips of one invocation, so
 * {@code tasks=1} pays a whole loop iteration per round trip and {@code tasks=100} shares it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class SuspendResumeBenchmark {
    static final int ROUND_TRIPS = 100_000;

    @Param({"continuation", "virtual"})
    public String backend;

    @Param({"1", "100"})
    public int tasks;

    private EventLoop loop;

    @Setup
    public void open() {
        loop = BenchLoops.open(backend);
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int sleepZero() {
        int perTask = ROUND_TRIPS / tasks;
        return loop.runUntilComplete(() -> {
            Task<?>[] started = new Task<?>[tasks];
            for (int t = 0; t < tasks; t++) {
                started[t] = Asyncio.createTask(() -> {
                    for (int i = 0; i < perTask; i++) {
                        Asyncio.sleep(0);
                    }
                });
            }
            for (Task<?> t : started) {
                t.await();
            }
            return perTask * tasks;
        });
    }
}
