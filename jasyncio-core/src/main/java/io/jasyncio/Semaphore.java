package io.jasyncio;

/**
 * A counting semaphore for tasks of one event loop: asyncio's {@code Semaphore}. It holds a number
 * of permits; {@link #acquire()} takes one, suspending while there is none, and {@link #release()}
 * gives one back. Typically it bounds how many tasks run a section at once:
 * <pre>{@code
 * var slots = new Semaphore(3);           // at most 3 at a time
 * try (var held = slots.acquire()) {
 *     fetch(url);
 * }
 * }</pre>
 *
 * <p><b>Fairness.</b> Permits go to waiters in the order they called {@link #acquire()}: a newcomer
 * that finds a permit free still queues behind waiters that are not cancelled.
 *
 * <p><b>Cancellation.</b> A permit is never lost or duplicated: a waiter cancelled before it got a
 * permit simply leaves the queue; one cancelled after a permit was handed to it gives the permit
 * back, and it goes to the next waiter.
 *
 * <p>{@link #release()} may be called more often than {@link #acquire()}, raising the count above
 * its initial value; {@link BoundedSemaphore} forbids that.
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop. The semaphore binds to the
 * running loop the first time a task waits on it.
 */
public class Semaphore implements AutoCloseable {
    private final Waiters waiters = new Waiters();
    /** Free permits, minus the permits handed to woken waiters that have not resumed yet. */
    int value;
    private EventLoop loop;

    /** Creates a semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative (asyncio's ValueError)
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0: " + value);
        }
        this.value = value;
    }

    /**
     * Whether {@link #acquire()} would suspend now: no permit is free, or tasks that are not
     * cancelled are queued ahead (FIFO).
     */
    public boolean locked() {
        return value == 0 || waiters.anyNotCancelled();
    }

    /**
     * Takes a permit: asyncio's {@code await sem.acquire()}. Returns at once, without suspending,
     * if {@link #locked()} is false; otherwise suspends the current task until a permit is handed
     * to it (FIFO). On its way out it also wakes queued tasks for any permits still free, which
     * newcomers had to leave to them.
     *
     * @return this semaphore, so that try-with-resources releases the permit:
     *     {@code try (var held = sem.acquire())}
     * @throws CancelledError if the task is cancelled while waiting; it then holds no permit, and a
     *     permit that had been handed to it goes to the next waiter
     * @throws IllegalStateException if it must wait outside a task, or the semaphore is bound to
     *     another loop
     */
    public Semaphore acquire() {
        if (!locked()) {
            value--;
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
            if (w.done() && !w.cancelled()) {
                // The permit was handed to this task, which will not use it: give it back.
                value++;
            }
            throw e;
        } finally {
            // Newcomers queued behind this task even if permits were free (FIFO): serve them now.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return this;
    }

    /**
     * Gives a permit back and hands it to the oldest waiter, if any. Does not suspend. Any task or
     * callback may release, not only one that acquired.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} released too often
     */
    public void release() {
        value++;
        wakeUpNext();
    }

    /** Releases a permit: the end of a try-with-resources block; see {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    /** Hands a permit to the oldest pending waiter; false if there is none. */
    private boolean wakeUpNext() {
        if (waiters.wake(1) == 0) {
            return false;
        }
        value--;
        return true;
    }

    /** The semaphore's state for debugging, e.g. {@code Semaphore[unlocked, value:2]}. */
    @Override
    public String toString() {
        String state = locked() ? "locked" : "unlocked, value:" + value;
        return getClass().getSimpleName() + "[" + state + waiters.describe() + "]";
    }
}
