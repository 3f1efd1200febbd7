package io.jasyncio;

/**
 * A callback scheduled for a point in loop time by {@link EventLoop#callLater} or
 * {@link EventLoop#callAt}, asyncio's {@code TimerHandle}. Timers with the same deadline run in
 * the order they were scheduled. A cancelled timer is dropped from the loop's heap lazily; when
 * cancelled timers outnumber live ones the heap is rebuilt, so cancelling never grows memory
 * without bound.
 */
public final class TimerHandle extends Handle {
    final long whenNanos;
    final long sequence;
    /** Position in the loop's timer heap, or -1 when not in it. */
    int heapIndex = -1;

    TimerHandle(EventLoop loop, long whenNanos, long sequence, Runnable callback, Context context) {
        super(loop, callback, context);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /** The loop time, in seconds, at which the callback is due. */
    public double when() {
        return whenNanos / 1e9;
    }

    /** The loop time, in nanoseconds, at which the callback is due. */
    public long whenNanos() {
        return whenNanos;
    }

    @Override
    public void cancel() {
        if (!cancelled()) {
            super.cancel();
            if (heapIndex >= 0) {
                loop.timerCancelled();
            }
        }
    }

    boolean isBefore(TimerHandle other) {
        return whenNanos < other.whenNanos || (whenNanos == other.whenNanos && sequence < other.sequence);
    }
}
