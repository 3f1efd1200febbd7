package io.jasyncio.bench;

import io.jasyncio.EventLoop;
import java.util.concurrent.TimeUnit;
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
 * Callbacks through the ready queue, in callbacks per second. {@code batch}: schedule
 * {@value #CALLBACKS} callbacks with {@code callSoon}, then run them in one loop iteration.
 * {@code chain}: each callback schedules the next, so every callback costs a whole loop iteration.
 * No coroutine is involved, so one backend suffices.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class CallSoonBenchmark {
    static final int CALLBACKS = 10_000;

    private EventLoop loop;
    private Runnable stopper;
    private Runnable counter;
    private Runnable chainLink;
    private int count;

    @Setup
    public void open() {
        loop = EventLoop.newEventLoop();
        stopper = loop::stop;
        counter = () -> count++;
        chainLink = () -> {
            if (++count % CALLBACKS != 0) {
                loop.callSoon(chainLink);
            } else {
                loop.stop();
            }
        };
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public int batch() {
        for (int i = 0; i < CALLBACKS; i++) {
            loop.callSoon(counter);
        }
        BenchLoops.runOneIteration(loop, stopper);
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public int chain() {
        loop.callSoon(chainLink);
        loop.runForever();
        return count;
    }
}
