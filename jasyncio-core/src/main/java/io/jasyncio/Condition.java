package io.jasyncio;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks of one event loop: asyncio's {@code Condition}. Tasks holding its
 * {@link Lock} wait with {@link #await()} until another task calls {@link #signal()} or
 * {@link #signalAll()} (asyncio's {@code wait()}, {@code notify()}, {@code notify_all()}).
 *
 * <pre>{@code
 * var cond = new Condition();
 * try (var held = cond.acquire()) {
 *     cond.awaitFor(() -> !items.isEmpty());  // releases the lock while waiting
 *     process(items.removeFirst());
 * }
 * // elsewhere, in another task:
 * try (var held = cond.acquire()) {
 *     items.add(x);
 *     cond.signal();
 * }
 * }</pre>
 *
 * <p>The lock is a new {@link Lock} or one given to the constructor, which lets several conditions
 * share a lock. {@link #acquire()}, {@link #release()} and {@link #locked()} are those of the lock.
 * As in asyncio, "holding the lock" means the lock is locked: it has no owner task.
 *
 * <p><b>Cancellation.</b> {@link #await()} always returns or throws with the lock re-acquired, even
 * when the task is cancelled while waiting for the signal or while re-acquiring the lock; the
 * {@link CancelledError} is rethrown afterwards. A waiter that leaves by an exception passes one
 * signal on to another waiter, so a signal that raced with a cancellation is never lost (the other
 * waiter may see a spurious wake-up, which the condition-variable contract allows: re-check the
 * state after waking, or use {@link #awaitFor}).
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop.
 */
public final class Condition implements AutoCloseable {
    private final Lock lock;
    private final Waiters waiters = new Waiters();
    private EventLoop loop;

    /** Creates a condition with a new lock. */
    public Condition() {
        this(new Lock());
    }

    /** Creates a condition on {@code lock}, which other conditions may share. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** The underlying lock. */
    public Lock lock() {
        return lock;
    }

    /** Whether the underlying lock is held. */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()}. Suspends while it is held.
     *
     * @return this condition, so that try-with-resources releases the lock:
     *     {@code try (var held = cond.acquire())}
     * @throws CancelledError if the task is cancelled while waiting for the lock; it then does not
     *     hold it
     * @throws IllegalStateException if the lock must be waited for outside a task, or is bound to
     *     another loop
     */
    public Condition acquire() {
        lock.acquire();
        return this;
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        lock.release();
    }

    /** Releases the underlying lock: the end of a try-with-resources block. */
    @Override
    public void close() {
        lock.release();
    }

    /**
     * Waits for a signal: asyncio's {@code await cond.wait()}. Releases the lock, suspends the
     * current task until {@link #signal} or {@link #signalAll} wakes it, then re-acquires the lock
     * (suspending again if it is held) and returns. It may return without a signal (a spurious
     * wake-up, see the class comment), so callers re-check their state.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's RuntimeError), if called
     *     outside a task, or if the condition is bound to another loop
     * @throws CancelledError if the task is cancelled while waiting; the lock is held again when it
     *     is thrown (if cancelled both while waiting and while re-acquiring, the latest
     *     cancellation is thrown)
     */
    public void await() {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        EventLoop l = Waiters.bind(loop, this);
        loop = l;
        lock.release();
        try {
            try {
                Waiters.Waiter w = waiters.add(l);
                try {
                    w.await();
                } finally {
                    waiters.remove(w);
                }
            } finally {
                reacquire();
            }
        } catch (Throwable e) {
            // This task may have consumed a signal it will not act on: hand one to another waiter.
            waiters.wake(1);
            throw e;
        }
    }

    /** Takes the lock back after a wait, going on through cancellations and rethrowing the last one. */
    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Waits until {@code predicate} is true: asyncio's {@code await cond.wait_for(predicate)}.
     * Evaluates the predicate and, while it is false, {@link #await() waits} and evaluates it
     * again. If it is true at once this returns without suspending and without needing the lock;
     * otherwise the lock must be held, and is held again on return.
     *
     * @throws IllegalStateException if the predicate is false and the lock is not held
     * @throws CancelledError as {@link #await()}, with the lock held again
     */
    public void awaitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes the oldest waiting task, if any: asyncio's {@code notify()}. Does not suspend and does
     * not release the lock; the woken task resumes once it re-acquires the lock.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's RuntimeError)
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the {@code n} oldest waiting tasks (all of them if fewer wait; none if {@code n <= 0}):
     * asyncio's {@code notify(n)}. Does not suspend and does not release the lock.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's RuntimeError)
     */
    public void signal(int n) {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        waiters.wake(n);
    }

    /**
     * Wakes every waiting task: asyncio's {@code notify_all()}. Does not suspend and does not
     * release the lock.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's RuntimeError)
     */
    public void signalAll() {
        signal(waiters.size());
    }

    /** The condition's state for debugging, e.g. {@code Condition[locked, waiters:1]}. */
    @Override
    public String toString() {
        return "Condition[" + (lock.locked() ? "locked" : "unlocked") + waiters.describe() + "]";
    }
}
