package io.jasyncio;

import java.util.Objects;

/**
 * A deadline for a block of code: asyncio's {@code Timeout} (3.11), made by
 * {@link Asyncio#timeout(double)}, {@link Asyncio#timeout(java.time.Duration)} or
 * {@link Asyncio#timeoutAt(Double)} and applied by {@link #run(AsyncCallable)}:
 *
 * <pre>{@code
 * Timeout t = Asyncio.timeout(5.0);
 * try {
 *     String page = t.run(() -> fetch(url));
 * } catch (TimeoutError e) {
 *     // t.expired() is true
 * }
 * }</pre>
 *
 * <p>If the deadline passes while the block runs, the timeout cancels the current task: the block
 * sees {@link CancelledError} at the point where it is suspended, and when that cancellation
 * leaves the block, {@code run} replaces it with {@link TimeoutError} (whose cause is the
 * cancellation). The deadline can move while the block runs ({@link #reschedule}).
 *
 * <p><b>Cancellation.</b> The timeout counts the task's {@link Task#cancelling() cancellation
 * requests} when the block starts, and withdraws its own request with {@link Task#uncancel()}
 * when the block ends. It turns the cancellation into a {@link TimeoutError} only if no other
 * request is left: a task cancelled from outside while its timeout also fires stays cancelled,
 * and of nested timeouts that fire together only the outermost one raises {@code TimeoutError}
 * (inner ones let the cancellation through). A block that catches the cancellation and returns
 * normally returns its value.
 *
 * <p>A {@code Timeout} is used once, inside a task, by one {@code run} call; it is not
 * thread-safe. There is no try-with-resources form: {@code close()} cannot replace the body's
 * {@code CancelledError} with a {@code TimeoutError}, which is the whole point.
 */
public final class Timeout {
    private enum State {
        CREATED("created"), ENTERED("active"), EXPIRING("expiring"), EXPIRED("expired"), EXITED("finished");

        final String value;

        State(String value) {
            this.value = value;
        }
    }

    private State state = State.CREATED;
    /** The deadline in loop nanoseconds; meaningless unless {@link #hasDeadline}. */
    private long whenNanos;
    private boolean hasDeadline;
    /** The deadline exactly as given in seconds, or null to report {@code whenNanos / 1e9}. */
    private Double givenWhen;
    private EventLoop loop;
    private Task<?> task;
    private int cancellingAtEntry;
    /** The pending expiry: a timer, or a ready callback when the deadline has already passed. */
    private Handle handle;
    private Runnable onTimeout;

    /** A timeout due at loop time {@code when} seconds, or never when null. */
    Timeout(Double when) {
        setDeadline(when);
    }

    /** A timeout due at loop time {@code whenNanos}, shown as {@code whenNanos / 1e9} seconds. */
    Timeout(long whenNanos) {
        this.whenNanos = whenNanos;
        this.hasDeadline = true;
    }

    /** The deadline in loop time seconds (compare {@link EventLoop#time()}), or null if there is none. */
    public Double when() {
        if (!hasDeadline) {
            return null;
        }
        return givenWhen != null ? givenWhen : whenNanos / 1e9;
    }

    /**
     * Moves the deadline to loop time {@code when} seconds, or removes it when null. A deadline at
     * or before the current loop time expires on the next loop iteration. Does not suspend.
     *
     * @throws IllegalStateException if the timeout is not running a block: not entered yet,
     *     expiring, expired or finished
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public void reschedule(Double when) {
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("Timeout has not been entered");
            }
            throw new IllegalStateException("Cannot change state of " + state.value + " Timeout");
        }
        setDeadline(when);
        schedule();
    }

    private void setDeadline(Double when) {
        long nanos = when == null ? 0 : EventLoop.secondsToNanos("when", when);
        this.whenNanos = nanos;
        this.hasDeadline = when != null;
        this.givenWhen = when;
    }

    /** Whether the deadline passed while the block ran (true from the moment it fired). */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Runs {@code body} under this deadline, in the current task, and returns its result. Suspends
     * whenever {@code body} does.
     *
     * <p>Any other exception of {@code body} comes out unchanged (checked exceptions included,
     * although none is declared); if the deadline had passed, it carries a suppressed
     * {@link TimeoutError} saying so.
     *
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline passed and the resulting cancellation ended the body;
     *     its cause is that {@link CancelledError}
     * @throws CancelledError if the task was cancelled for another reason (from outside, or by an
     *     outer timeout)
     * @throws IllegalStateException if this timeout was already used, or if called outside a task
     */
    public <T> T run(AsyncCallable<T> body) {
        Objects.requireNonNull(body, "body");
        enter();
        T result;
        try {
            result = body.call();
        } catch (Throwable e) {
            throw Throwables.rethrow(exit(e));
        }
        exit(null);
        return result;
    }

    /** As {@link #run(AsyncCallable)} for a body without a result. */
    public void run(AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        enter();
        try {
            body.run();
        } catch (Throwable e) {
            throw Throwables.rethrow(exit(e));
        }
        exit(null);
    }

    private void enter() {
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        EventLoop running = EventLoop.running();
        Task<?> current = running.currentTask();
        if (current == null) {
            throw new IllegalStateException("Timeout should be used inside a task");
        }
        state = State.ENTERED;
        loop = running;
        task = current;
        cancellingAtEntry = current.cancelling();
        schedule();
    }

    /** asyncio's {@code __aexit__}: returns what the block should throw ({@code exc}, or its replacement). */
    private Throwable exit(Throwable exc) {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEntry && exc != null) {
                if (exc instanceof CancelledError cancelled) {
                    TimeoutError timeout = new TimeoutError();
                    timeout.initCause(cancelled);
                    return timeout;
                }
                exc.addSuppressed(new TimeoutError("the timeout expired while this exception was being raised"));
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return exc;
    }

    private void schedule() {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (!hasDeadline) {
            return;
        }
        if (onTimeout == null) {
            onTimeout = this::expire;
        }
        // callSoon, not a due timer: the expiry must run before the block resumes from a sleep(0).
        if (whenNanos <= loop.timeNanos()) {
            handle = loop.callSoon(onTimeout);
        } else {
            handle = loop.callAtInternal(whenNanos, onTimeout);
        }
    }

    private void expire() {
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    /** E.g. {@code Timeout[active when=5.0]}, {@code Timeout[expired]}: asyncio's repr. */
    @Override
    public String toString() {
        return state == State.ENTERED ? "Timeout[active when=" + when() + "]" : "Timeout[" + state.value + "]";
    }
}
