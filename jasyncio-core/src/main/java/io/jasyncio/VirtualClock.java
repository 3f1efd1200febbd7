package io.jasyncio;

import java.time.Duration;

/**
 * A clock for tests: time stands still while callbacks run, and when the loop has nothing ready
 * it jumps straight to the next timer instead of waiting. A test of a 60-second timeout therefore
 * takes microseconds and gives the same result on every run.
 *
 * <p>The loop jumps only when nothing else can happen: the ready queue is empty, a non-blocking
 * poll of its sockets found nothing, and no thread is working on its behalf (an executor job
 * started by {@link EventLoop#runInExecutor} or {@link Asyncio#toThread}, or a
 * {@link java.util.concurrent.CompletionStage} awaited through {@link Asyncio#await} or
 * {@link Asyncio#wrapFuture}, until it is done or cancelled). While such work is pending, the loop
 * waits for it in real time and this clock advances by the real time waited. Sockets whose peer lives in another
 * process are polled, not waited for: a virtual timer can expire before a real packet arrives.
 *
 * <pre>{@code
 * var loop = EventLoop.newEventLoop(new VirtualClock());
 * loop.runUntilComplete(() -> { Asyncio.sleep(3600); return null; });  // returns at once
 * }</pre>
 */
public final class VirtualClock implements LoopClock {
    private volatile long now;

    /** A clock starting at zero. */
    public VirtualClock() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward by {@code delta}. Timers that become due run on the loop's next
     * iteration.
     *
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public void advance(Duration delta) {
        if (delta.isNegative()) {
            throw new IllegalArgumentException("delta must not be negative: " + delta);
        }
        advanceNanos(delta.toNanos());
    }

    void advanceNanos(long nanos) {
        now += nanos;
    }

    void advanceTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + Duration.ofNanos(now) + "]";
    }
}
