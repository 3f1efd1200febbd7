package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.EventLoopThread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Round trips between the loop and other threads (docs/PERFORMANCE.md, "Threads"):
 * {@code toThread} of a no-op from a task (loop to executor thread and back), and
 * {@code runCoroutineThreadsafe} of a trivial coroutine from a platform thread, waited with
 * {@code join()} (foreign thread to loop and back). The backend is chosen with
 * {@code -Djasyncio.backend=continuation|virtual} in {@code -jvmArgsAppend}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThreadsBench {
    private static final int BATCH = 1000;

    /** A loop kept open across invocations, run by the benchmark thread itself. */
    @State(Scope.Thread)
    public static class OwnLoop {
        EventLoop loop;

        @Setup(Level.Trial)
        public void open() {
            loop = EventLoop.newEventLoop();
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.runUntilComplete(() -> {
                loop.shutdownDefaultExecutor(null);
                return null;
            });
            loop.close();
        }
    }

    /** A loop running on its own thread, called from the benchmark thread. */
    @State(Scope.Thread)
    public static class LoopOnItsThread {
        EventLoopThread loopThread;

        @Setup(Level.Trial)
        public void start() {
            loopThread = EventLoopThread.start("bench-loop");
        }

        @TearDown(Level.Trial)
        public void stop() {
            loopThread.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object toThreadNoop(OwnLoop s) {
        return s.loop.runUntilComplete(() -> {
            Object last = null;
            for (int i = 0; i < BATCH; i++) {
                last = Asyncio.toThread(() -> Boolean.TRUE);
            }
            return last;
        });
    }

    @Benchmark
    public Integer runCoroutineThreadsafeFromPlatformThread(LoopOnItsThread s) {
        return Asyncio.runCoroutineThreadsafe(() -> 1, s.loopThread.loop()).join();
    }
}
