package io.jasyncio;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code Barrier} (3.11). Each task calls
 * {@link #await()}; the call suspends until {@link #parties()} tasks are waiting, then all of them
 * return together, each with a distinct arrival index, and the barrier is ready for the next round.
 *
 * <pre>{@code
 * var barrier = new Barrier(3);
 * // in each of 3 tasks:
 * int index = barrier.await();   // 0, 1 or 2 in arrival order
 * }</pre>
 *
 * <p>The barrier cycles through asyncio's states: <em>filling</em> (tasks arrive and wait),
 * <em>draining</em> (the last arrival released them; they are leaving, and newcomers wait until
 * all have left), <em>resetting</em> ({@link #reset()} was called while tasks were inside; they
 * leave with {@link BrokenBarrierError}) and <em>broken</em> ({@link #abort()}; every current and
 * future {@code await()} fails with {@link BrokenBarrierError} until {@link #reset()}).
 *
 * <p><b>Cancellation</b> follows asyncio: a task cancelled while waiting leaves the barrier, which
 * then counts one task fewer and is <em>not</em> broken; the other tasks keep waiting for a full
 * set of parties. (This is unlike {@link java.util.concurrent.CyclicBarrier}, which an interrupted
 * waiter breaks.) Call {@link #abort()} to release the others when a party will not come.
 *
 * <p>Built, as in asyncio, on a {@link Condition}, whose lock {@code await()}, {@link #reset()} and
 * {@link #abort()} take, so all three must be called from a task. Not thread-safe: use it from the
 * tasks of one loop.
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** Tasks inside {@link #await()}: waiting while filling, or leaving while draining or resetting. */
    private int count;

    /**
     * Creates a barrier for {@code parties} tasks.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1 (asyncio's ValueError)
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1: " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks are waiting, then returns: asyncio's
     * {@code await barrier.wait()}. The task that completes the set does not suspend (beyond taking
     * the internal lock); the others suspend until it arrives. If the previous round is still
     * draining, or a reset is in progress, the task first waits for that to finish.
     *
     * @return the arrival index, from 0 for the first task to {@code parties() - 1} for the last
     * @throws BrokenBarrierError if the barrier is broken ({@link #abort()}), or is reset or aborted
     *     while this task waits
     * @throws CancelledError if the task is cancelled while waiting; it leaves the barrier, which
     *     stays usable (see the class comment)
     * @throws IllegalStateException if called outside a task
     */
    public int await() {
        cond.acquire();
        try {
            awaitEntry();
            try {
                int index = count++;
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    awaitRelease();
                }
                return index;
            } finally {
                count--;
                leave();
            }
        } finally {
            cond.release();
        }
    }

    /** Waits while the previous round drains or a reset completes; fails if the barrier is broken. */
    private void awaitEntry() {
        cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted");
        }
    }

    /** Waits until the last party releases this round; fails if it is reset or aborted meanwhile. */
    private void awaitRelease() {
        cond.awaitFor(() -> state != State.FILLING);
        if (state == State.BROKEN || state == State.RESETTING) {
            throw new BrokenBarrierError("Abort or reset of barrier");
        }
    }

    /** The last task to leave ends a drain or a reset, and lets blocked newcomers in. */
    private void leave() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Returns the barrier to its initial, filling state: asyncio's {@code await barrier.reset()}.
     * Tasks waiting at it get {@link BrokenBarrierError}; the reset completes once they have all
     * left. A broken barrier becomes usable again. Suspends only while taking the internal lock.
     *
     * @throws CancelledError if the task is cancelled while taking the internal lock
     * @throws IllegalStateException if it must wait for the internal lock outside a task
     */
    public void reset() {
        cond.acquire();
        try {
            // With tasks inside, they must leave (with BrokenBarrierError) before it fills again.
            state = count > 0 ? State.RESETTING : State.FILLING;
            cond.signalAll();
        } finally {
            cond.release();
        }
    }

    /**
     * Breaks the barrier: asyncio's {@code await barrier.abort()}. Tasks waiting at it, and every
     * later {@link #await()} until a {@link #reset()}, get {@link BrokenBarrierError}. Suspends only
     * while taking the internal lock.
     *
     * @throws CancelledError if the task is cancelled while taking the internal lock
     * @throws IllegalStateException if it must wait for the internal lock outside a task
     */
    public void abort() {
        cond.acquire();
        try {
            state = State.BROKEN;
            cond.signalAll();
        } finally {
            cond.release();
        }
    }

    /** The number of tasks needed to pass the barrier. */
    public int parties() {
        return parties;
    }

    /** The number of tasks waiting at the barrier while it fills; 0 while it drains, resets or is broken. */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** Whether the barrier is broken ({@link #abort()} was called and no {@link #reset()} since). */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /** The barrier's state for debugging, e.g. {@code Barrier[filling, waiters:2/3]}. */
    @Override
    public String toString() {
        String s = state.name().toLowerCase(java.util.Locale.ROOT);
        if (state != State.BROKEN) {
            s += ", waiters:" + nWaiting() + "/" + parties;
        }
        return "Barrier[" + s + "]";
    }
}
