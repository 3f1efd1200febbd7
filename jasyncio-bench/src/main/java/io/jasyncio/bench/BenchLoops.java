package io.jasyncio.bench;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopClock;

/** Opens the event loops the benchmarks measure, on the coroutine backend a benchmark asks for. */
final class BenchLoops {
    /**
     * The flag that lets jasyncio use {@code jdk.internal.vm.Continuation}. JMH forks its
     * measurement JVMs with {@code java -cp}, so the {@code Add-Exports} entry of the benchmark
     * jar's manifest does not reach them: every benchmark passes the flag itself.
     */
    static final String EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

    /** Fixed heap for every measurement JVM, so GC work is comparable between runs. */
    static final String HEAP = "-Xmx1g";

    private BenchLoops() {
    }

    /** As {@link #open(String, LoopClock)} on the real clock. */
    static EventLoop open(String backend) {
        return open(backend, LoopClock.system());
    }

    /**
     * A loop on {@code clock} whose tasks run on {@code backend} ({@code continuation} or
     * {@code virtual}). jasyncio reads the backend property once, when its first loop is made;
     * JMH runs each parameter value in its own JVM, so setting it here, before any loop exists,
     * selects the backend as {@code -Djasyncio.backend} would.
     *
     * @throws IllegalStateException if this JVM already runs another backend (e.g. under {@code -f 0})
     */
    static EventLoop open(String backend, LoopClock clock) {
        System.setProperty("jasyncio.backend", backend);
        EventLoop loop = EventLoop.newEventLoop(clock);
        if (!loop.backendName().equals(backend)) {
            loop.close();
            throw new IllegalStateException("asked for the " + backend + " backend but this JVM runs "
                    + loop.backendName() + ": run each backend in its own fork (-f 1 or more)");
        }
        return loop;
    }

    /** Runs every callback already scheduled on {@code loop}, in one iteration, and returns. */
    static void runOneIteration(EventLoop loop, Runnable stopper) {
        loop.callSoon(stopper);
        loop.runForever();
    }
}
