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
 * {@code join()} (foreign thread to loop and back), also into a loop left idle for a millisecond
 * first (its wake-up latency). The backend is chosen with
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

    /**
     * As {@link LoopOnItsThread}, but the loop is left idle in its selector for a millisecond
     * before each call, as a lightly loaded loop is (not part of the measured time).
     */
    @State(Scope.Thread)
    public static class IdleLoopOnItsThread extends LoopOnItsThread {
        @Setup(Level.Invocation)
        public void letItIdle() throws InterruptedException {
            Thread.sleep(1);
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

    /** The same round trip into a loop that was idle: its wake-up latency, sampled for percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Integer runCoroutineThreadsafeIntoAnIdleLoop(IdleLoopOnItsThread s) {
        return Asyncio.runCoroutineThreadsafe(() -> 1, s.loopThread.loop()).join();
    }

    /** A plain callback into a loop that was idle, answering through a CompletableFuture: the bare wake-up. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Integer callSoonThreadsafeIntoAnIdleLoop(IdleLoopOnItsThread s) {
        java.util.concurrent.CompletableFuture<Integer> answer = new java.util.concurrent.CompletableFuture<>();
        s.loopThread.loop().callSoonThreadsafe(() -> answer.complete(1));
        return answer.join();
    }
}
