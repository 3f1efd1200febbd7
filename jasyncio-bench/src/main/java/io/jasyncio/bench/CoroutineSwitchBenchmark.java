package io.jasyncio.bench;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.coro.Coroutine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under {@link SuspendResumeBenchmark}: one resume/suspend of a bare coroutine of the
 * internal backend interface, with no event loop, task or future involved. The difference
 * between the two benchmarks is what the loop and the task add to a round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class CoroutineSwitchBenchmark {
    @Param({"continuation", "virtual"})
    public String backend;

    private Coroutine coroutine;
    private long switches;

    @Setup
    public void create() {
        BenchLoops.selectBackend(backend);
        Coroutine[] self = new Coroutine[1];
        self[0] = Backends.selected().create(() -> {
            while (true) {
                switches++;
                self[0].suspend();
            }
        });
        coroutine = self[0];
    }

    @Benchmark
    public long resumeSuspend() {
        coroutine.resume();
        return switches;
    }
}
