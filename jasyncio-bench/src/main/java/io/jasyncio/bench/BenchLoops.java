package io.jasyncio.bench;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopClock;
import io.jasyncio.internal.coro.Backends;

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

    /** A loop on {@code clock} whose tasks run on {@code backend}; see {@link #selectBackend}. */
    static EventLoop open(String backend, LoopClock clock) {
        selectBackend(backend);
        return EventLoop.newEventLoop(clock);
    }

    /**
     * Makes this JVM run coroutines on {@code backend} ({@code continuation} or {@code virtual}).
     * jasyncio reads the backend property once, when its first loop or coroutine is made; JMH
     * runs each parameter value in its own JVM, so setting it before that selects the backend as
     * {@code -Djasyncio.backend} would.
     *
     * @throws IllegalStateException if this JVM already runs another backend (e.g. under {@code -f 0})
     */
    static void selectBackend(String backend) {
        System.setProperty(Backends.PROPERTY, backend);
        String running = Backends.selected().name();
        if (!running.equals(backend)) {
            throw new IllegalStateException("asked for the " + backend + " backend but this JVM runs "
                    + running + ": run each backend in its own fork (-f 1 or more)");
        }
    }

    /** Runs every callback already scheduled on {@code loop}, in one iteration, and returns. */
    static void runOneIteration(EventLoop loop, Runnable stopper) {
        loop.callSoon(stopper);
        loop.runForever();
    }
}
