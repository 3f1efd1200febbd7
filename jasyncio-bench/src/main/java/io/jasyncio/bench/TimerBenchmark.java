package io.jasyncio.bench;

import io.jasyncio.EventLoop;
import io.jasyncio.TimerHandle;
import java.util.SplittableRandom;
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
 * Timer costs, in nanoseconds per timer. {@code scheduleCancel}: {@value #TIMERS} timers with
 * random deadlines 1 to 10 s away are scheduled with {@code callLater}, then all cancelled, then a
 * loop iteration drops them from the heap (the pattern of timeouts that do not expire).
 * {@code scheduleFire}: {@value #TIMERS} timers due at once are scheduled and run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchLoops.EXPORTS, BenchLoops.HEAP})
public class TimerBenchmark {
    static final int TIMERS = 10_000;

    private EventLoop loop;
    private Runnable stopper;
    private Runnable counter;
    private final double[] delays = new double[TIMERS];
    private final TimerHandle[] handles = new TimerHandle[TIMERS];
    private int count;

    @Setup
    public void open() {
        loop = EventLoop.newEventLoop();
        stopper = loop::stop;
        counter = () -> count++;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TIMERS; i++) {
            delays[i] = random.nextDouble(1.0, 10.0);
        }
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int scheduleCancel() {
        for (int i = 0; i < TIMERS; i++) {
            handles[i] = loop.callLater(delays[i], counter);
        }
        for (TimerHandle h : handles) {
            h.cancel();
        }
        BenchLoops.runOneIteration(loop, stopper);
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int scheduleFire() {
        for (int i = 0; i < TIMERS; i++) {
            loop.callLater(0, counter);
        }
        BenchLoops.runOneIteration(loop, stopper);
        return count;
    }
}
