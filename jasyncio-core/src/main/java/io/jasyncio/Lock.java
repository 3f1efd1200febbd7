package io.jasyncio;

/**
 * A mutual-exclusion lock for tasks of one event loop: asyncio's {@code Lock}. The lock is not
 * owned by a task: any task (or callback) may release it. It is created unlocked and binds to the
 * running loop the first time a task has to wait for it.
 *
 * <p>The usual form is try-with-resources, asyncio's {@code async with lock}:
 * <pre>{@code
 * var lock = new Lock();
 * try (var held = lock.acquire()) {   // suspends while another task holds the lock
 *     // critical section
 * }                                   // releases the lock
 * }</pre>
 *
 * <p><b>Fairness.</b> Waiters get the lock in the order they called {@link #acquire()}: a release
 * wakes the oldest waiter, and while a woken waiter has not yet resumed, a newcomer queues behind
 * it instead of barging in. If every waiter has been cancelled, a newcomer takes the free lock at
 * once.
 *
 * <p><b>Cancellation.</b> A task cancelled while waiting leaves the queue and sees
 * {@link CancelledError}. If it had already been woken (the lock was handed to it) it passes the
 * lock on to the next waiter, so no wake-up is lost and the lock never stays free with tasks
 * waiting.
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop.
 */
public final class Lock implements AutoCloseable {
    private final Waiters waiters = new Waiters();
    private boolean locked;
    private EventLoop loop;

    /** Creates an unlocked lock. */
    public Lock() {
    }

    /** Whether the lock is held. */
    public boolean locked() {
        return locked;
    }

    /**
     * Acquires the lock: asyncio's {@code await lock.acquire()}. Returns at once, without
     * suspending, if the lock is free and no task is queued for it; otherwise suspends the current
     * task until the lock is handed to it (FIFO).
     *
     * @return this lock, so that try-with-resources releases it: {@code try (var held = lock.acquire())}
     * @throws CancelledError if the task is cancelled while waiting; the lock is then not held by it
     *     and, if it had been handed over, is passed on to the next waiter
     * @throws IllegalStateException if the lock must be waited for outside a task, or the lock is
     *     bound to another loop
     */
    public Lock acquire() {
        if (!locked && !waiters.anyNotCancelled()) {
            locked = true;
            return this;
        }
        loop = Waiters.bind(loop, this);
        Waiters.Waiter w = waiters.add(loop);
        try {
            try {
                w.await();
            } finally {
                waiters.remove(w);
            }
        } catch (CancelledError e) {
            // A waiter woken by release() but cancelled before it resumed must not swallow the
            // wake-up: if the lock is still free, the next waiter gets it instead.
            if (!locked) {
                wakeUpFirst();
            }
            throw e;
        }
        locked = true;
        return this;
    }

    /**
     * Releases the lock and wakes the oldest waiter, if any. Does not suspend. Any task or callback
     * may release the lock, not only the one that acquired it.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's RuntimeError)
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        wakeUpFirst();
    }

    /** Releases the lock: the end of a try-with-resources block; see {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    /** Makes sure the oldest waiter will run; if it is already done, it is on its way. */
    private void wakeUpFirst() {
        Waiters.Waiter first = waiters.first();
        if (first != null && !first.done()) {
            first.setResult(null);
        }
    }

    /** The lock's state for debugging, e.g. {@code Lock[locked, waiters:2]}. */
    @Override
    public String toString() {
        return "Lock[" + (locked ? "locked" : "unlocked") + waiters.describe() + "]";
    }
}
