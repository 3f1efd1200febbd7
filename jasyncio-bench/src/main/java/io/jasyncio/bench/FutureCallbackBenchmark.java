package io.jasyncio.bench;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A future's life with one done callback: {@code createFuture}, {@code addDoneCallback},
 * {@code setResult}, and the loop running the callback. Score: nanoseconds per future.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class FutureCallbackBenchmark {
    static final int FUTURES = 10_000;

    private EventLoop loop;
    private Runnable stopper;
    private Consumer<Future<Integer>> sumResult;
    private long sum;

    @Setup
    public void open() {
        loop = EventLoop.newEventLoop();
        stopper = loop::stop;
        sumResult = f -> sum += f.result();
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(FUTURES)
    public long addDoneCallbackSetResult() {
        for (int i = 0; i < FUTURES; i++) {
            Future<Integer> f = loop.createFuture();
            f.addDoneCallback(sumResult);
            f.setResult(i);
        }
        BenchLoops.runOneIteration(loop, stopper);
        return sum;
    }
}
