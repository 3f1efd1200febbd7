package io.jasyncio;

/**
 * The FIFO of futures that tasks wait on inside a synchronization primitive or a queue: asyncio's
 * {@code collections.deque} of waiter futures. The list is intrusive (each waiter is its own node)
 * so that a wait allocates nothing but its future and a cancelled waiter leaves the middle of the
 * list in O(1), where asyncio's {@code deque.remove} is O(n).
 *
 * <p>Loop-thread only, like the primitives that own it.
 */
final class Waiters {
    private Waiter head;
    private Waiter tail;
    private int size;

    /**
     * The loop a primitive is bound to after this call: asyncio's {@code _LoopBoundMixin._get_loop}.
     * A primitive binds to the running loop the first time a task has to wait on it.
     *
     * @param bound the loop the primitive is bound to so far, or null
     * @param owner the primitive, for the error message
     * @throws IllegalStateException if no task is running (only a task can wait), or {@code owner}
     *     is bound to another loop
     */
    static EventLoop bind(EventLoop bound, Object owner) {
        EventLoop running = EventLoop.runningOrNull();
        if (running == null || running.currentTask() == null) {
            throw new IllegalStateException(owner + ": only a task can wait, and no task is running");
        }
        if (bound != null && bound != running) {
            throw new IllegalStateException(owner + " is bound to a different event loop");
        }
        return running;
    }

    /** Appends a new pending waiter of {@code loop} and returns it. */
    Waiter add(EventLoop loop) {
        Waiter w = new Waiter(loop);
        w.linked = true;
        Waiter t = tail;
        w.prev = t;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
        size++;
        return w;
    }

    /** Unlinks {@code w}; does nothing if it was already removed. */
    void remove(Waiter w) {
        if (!w.linked) {
            return;
        }
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        w.linked = false;
        size--;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    /** The waiter count for a primitive's toString: {@code ", waiters:N"}, or empty without waiters. */
    String describe() {
        return size == 0 ? "" : ", waiters:" + size;
    }

    /** The oldest waiter, or null. */
    Waiter first() {
        return head;
    }

    /** Whether some waiter is not cancelled: pending, or woken and not yet resumed. */
    boolean anyNotCancelled() {
        for (Waiter w = head; w != null; w = w.next) {
            if (!w.cancelled()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wakes the {@code n} oldest waiters that are still pending, leaving every waiter in the list
     * (each removes itself when it resumes).
     *
     * @return how many were woken
     */
    int wake(int n) {
        int woken = 0;
        for (Waiter w = head; w != null && woken < n; w = w.next) {
            if (!w.done()) {
                w.setResult(null);
                woken++;
            }
        }
        return woken;
    }

    /**
     * Removes waiters from the front until it finds a pending one, which it wakes: asyncio's
     * {@code Queue._wakeup_next}.
     */
    void wakeNextRemoving() {
        Waiter w;
        while ((w = head) != null) {
            remove(w);
            if (!w.done()) {
                w.setResult(null);
                return;
            }
        }
    }

    /** Removes every waiter, waking the pending ones in FIFO order. */
    void wakeAllRemoving() {
        Waiter w;
        while ((w = head) != null) {
            remove(w);
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    /** A waiter future that is also its own list node. */
    static final class Waiter extends Future<Void> {
        Waiter prev;
        Waiter next;
        boolean linked;

        Waiter(EventLoop loop) {
            super(loop);
        }
    }
}
