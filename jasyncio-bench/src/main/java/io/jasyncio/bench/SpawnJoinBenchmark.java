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
 * Spawn, run and join {@value #TASKS} tasks: a main task creates them all, then awaits each one.
 * Score: nanoseconds per task, creation, its run to completion and the join included.
 * {@code body=value} tasks return at once; {@code body=sleep0} tasks suspend once first, so all
 * {@value #TASKS} stacks are suspended at the same time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class SpawnJoinBenchmark {
    static final int TASKS = 100_000;

    @Param({"continuation", "virtual"})
    public String backend;

    @Param({"value", "sleep0"})
    public String body;

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
    @OperationsPerInvocation(TASKS)
    public long spawnRunJoin() {
        boolean suspend = body.equals("sleep0");
        return loop.runUntilComplete(() -> {
            @SuppressWarnings("unchecked")
            Task<Integer>[] started = new Task[TASKS];
            for (int i = 0; i < TASKS; i++) {
                int value = i;
                started[i] = Asyncio.createTask(() -> {
                    if (suspend) {
                        Asyncio.sleep(0);
                    }
                    return value;
                });
            }
            long sum = 0;
            for (Task<Integer> t : started) {
                sum += t.await();
            }
            return sum;
        });
    }
}
