package io.jasyncio;

/**
 * A flag that tasks can wait for: asyncio's {@code Event}. It starts unset; {@link #set()} sets it
 * and wakes every waiting task, {@link #clear()} unsets it, {@link #await()} waits until it is set.
 *
 * <pre>{@code
 * var ready = new Event();
 * Asyncio.createTask(() -> { ready.await(); System.out.println("go"); return null; });
 * ready.set();
 * }</pre>
 *
 * <p>A waiter woken by {@code set()} returns even if the event is cleared again before the waiter
 * resumes: the wake-up is not taken back.
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop (from other threads, go
 * through {@link EventLoop#callSoonThreadsafe}). The event binds to the running loop the first time
 * a task waits on it.
 */
public final class Event {
    private final Waiters waiters = new Waiters();
    private boolean value;
    private EventLoop loop;

    /** Creates an unset event. */
    public Event() {
    }

    /** Whether the event is set: asyncio's {@code is_set()}. */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the event and wakes every task waiting for it. Tasks that call {@link #await()} while it
     * stays set do not suspend. Does nothing if the event is already set. Does not suspend.
     */
    public void set() {
        if (!value) {
            value = true;
            waiters.wake(Integer.MAX_VALUE);
        }
    }

    /** Unsets the event; later {@link #await()} calls suspend until {@link #set()}. Does not suspend. */
    public void clear() {
        value = false;
    }

    /**
     * Waits until the event is set: asyncio's {@code await event.wait()}. Returns at once if it is
     * set; otherwise suspends the current task until {@link #set()} is called.
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if it must wait outside a task, or the event is bound to
     *     another loop
     */
    public void await() {
        if (value) {
            return;
        }
        loop = Waiters.bind(loop, this);
        Waiters.Waiter w = waiters.add(loop);
        try {
            w.await();
        } finally {
            waiters.remove(w);
        }
    }

    /** The event's state for debugging, e.g. {@code Event[unset, waiters:1]}. */
    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + waiters.describe() + "]";
    }
}
