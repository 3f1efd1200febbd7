package io.jasyncio.bench;

import io.jasyncio.AsyncGenerator;
import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
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
 * Items per second through an async generator whose body yields without ever awaiting: the cost
 * of one yield/resume hand-off between a task and its generator (a nested continuation, or a
 * second virtual thread), plus the iterator protocol around it. Commands in docs/PERFORMANCE.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class AsyncGeneratorBenchmark {
    private static final int ITEMS = 10_000;
    private static final Object ITEM = new Object();

    /** The backend the run is meant to measure; setup fails if the JVM selected another. */
    @Param({"continuation"})
    public String backend;

    private EventLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
        loop = EventLoop.newEventLoop();
        if (!loop.backendName().equals(backend)) {
            throw new IllegalStateException("expected the " + backend + " backend, the JVM selected " + loop.backendName());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int itemsThroughGenerator() {
        return loop.runUntilComplete(() -> {
            AsyncGenerator<Object> items = Asyncio.generator(out -> {
                for (int i = 0; i < ITEMS; i++) {
                    out.yield(ITEM);
                }
            });
            int count = 0;
            for (Object item : items) {
                if (item == ITEM) {
                    count++;
                }
            }
            return count;
        });
    }
}
