package io.jasyncio;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The result of an operation that completes later, bound to one {@link EventLoop}: asyncio's
 * {@code Future}. A future is pending until {@link #setResult}, {@link #setException} or
 * {@link #cancel()} makes it done; after that its state never changes.
 *
 * <p>Not thread-safe, like asyncio's: use it on its loop's thread (from tasks and callbacks of
 * that loop). Other threads reach a loop through {@link EventLoop#callSoonThreadsafe} or
 * {@link #asCompletableFuture()}.
 *
 * <p>Done callbacks are never called inline: when the future completes, each is scheduled with
 * {@link EventLoop#callSoon} in registration order, in the context it was registered with.
 *
 * <p>If a future holding an exception becomes garbage before anyone called {@link #result()},
 * {@link #exception()} or {@link #await()}, the loop's exception handler receives "Future
 * exception was never retrieved".
 *
 * @param <T> the result type
 */
public class Future<T> {
    static final byte PENDING = 0;
    static final byte FINISHED = 1;
    static final byte CANCELLED = 2;

    final EventLoop loop;
    byte state;
    private T result;
    private Throwable exception;
    String cancelMessage;
    /** The cancellation a task's body raised; re-raised once so the original stack is kept. */
    CancelledError cancelledError;
    /** Null, one {@link Ready}, or an {@code ArrayList<Ready>}: most futures have one waiter. */
    private Object callbacks;
    private UnretrievedException unretrieved;

    /**
     * Creates a pending future on the running loop.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public Future() {
        this(EventLoop.running());
    }

    /** Creates a pending future bound to {@code loop}. */
    public Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** The loop this future is bound to. */
    public EventLoop getLoop() {
        return loop;
    }

    /** Whether the future has a result, an exception, or was cancelled. */
    public boolean done() {
        return state != PENDING;
    }

    /** Whether the future was cancelled. */
    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * Cancels the future with no message; see {@link #cancel(String)}.
     *
     * @return false if the future was already done, true otherwise
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future and schedules its callbacks: asyncio's {@code cancel(msg)}. Does not
     * suspend. Tasks awaiting the future resume with {@link CancelledError} on a later loop
     * iteration. Does nothing if the future is already done.
     *
     * @param msg the message of the {@link CancelledError} later raised by {@link #result()}, or null
     * @return false if the future was already done, true otherwise
     */
    public boolean cancel(String msg) {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        cancelMessage = msg;
        scheduleCallbacks();
        return true;
    }

    /**
     * The result. Does not suspend; see {@link #await()} for waiting. If the future finished with
     * an exception, throws that exception object unchanged (checked exceptions included, although
     * none is declared).
     *
     * @return the result the future was completed with
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is still pending
     */
    public T result() {
        if (state == CANCELLED) {
            throw makeCancelledError();
        }
        if (state == PENDING) {
            throw new InvalidStateError("Result is not ready.");
        }
        if (exception != null) {
            markRetrieved();
            throw Throwables.rethrow(exception);
        }
        return result;
    }

    /**
     * The exception the future finished with, or null if it has a result.
     *
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is still pending
     */
    public Throwable exception() {
        if (state == CANCELLED) {
            throw makeCancelledError();
        }
        if (state == PENDING) {
            throw new InvalidStateError("Exception is not set.");
        }
        markRetrieved();
        return exception;
    }

    /**
     * Completes the future with {@code value} and schedules its callbacks (tasks awaiting it resume
     * on a later loop iteration). Does not suspend.
     *
     * @throws InvalidStateError if the future is already done
     */
    public void setResult(T value) {
        checkPending();
        result = value;
        state = FINISHED;
        scheduleCallbacks();
    }

    /**
     * Completes the future with {@code exception} and schedules its callbacks (tasks awaiting it
     * resume on a later loop iteration, with that exception). Does not suspend.
     *
     * @throws NullPointerException if {@code exception} is null
     * @throws IllegalArgumentException if {@code exception} is a {@link CancelledError}: use
     *     {@link #cancel(String)} (asyncio cannot store one either, it cancels)
     * @throws InvalidStateError if the future is already done
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (exception instanceof CancelledError) {
            throw new IllegalArgumentException("exception must not be a CancelledError, use cancel(): " + exception);
        }
        setAnyException(exception);
    }

    /**
     * Completes the future with any exception, a {@link CancelledError} included: asyncio's
     * {@code gather()} finishes its future this way when a child was cancelled, so awaiting it
     * raises CancelledError although the gather future itself is not cancelled.
     */
    final void setAnyException(Throwable exception) {
        checkPending();
        this.exception = exception;
        state = FINISHED;
        unretrieved = UnretrievedException.watch(this, exception);
        scheduleCallbacks();
    }

    /**
     * Waits for the future and returns its result: asyncio's {@code await future}. If the future
     * is already done this returns (or throws) at once without suspending; otherwise it suspends
     * the current task until the future is done.
     *
     * <p>Cancelling the waiting task cancels this future (as asyncio does), and the task sees
     * {@link CancelledError}. If the future finished with an exception, this throws that exception
     * object unchanged (checked exceptions included, although none is declared).
     *
     * @return the future's result
     * @throws CancelledError if the future or the waiting task was cancelled
     * @throws IllegalStateException if called outside a task of this future's loop, or by the task
     *     that is this future (a task cannot await itself)
     */
    public T await() {
        if (state == PENDING) {
            loop.currentTaskFor(this).awaitFuture(this);
        }
        return result();
    }

    /**
     * Adds a callback run with this future once it is done, in a copy of the current context.
     * If the future is already done the callback is scheduled at once with {@code callSoon}.
     */
    public void addDoneCallback(Consumer<? super Future<T>> fn) {
        addDoneCallback(fn, null);
    }

    /**
     * Adds a callback run with this future once it is done, in {@code context} (null: a copy of
     * the current context).
     */
    public void addDoneCallback(Consumer<? super Future<T>> fn, Context context) {
        Objects.requireNonNull(fn, "fn");
        Context ctx = context != null ? context : loop.currentContext().copy();
        DoneCallback<T> entry = new DoneCallback<>(this, fn, ctx);
        if (state != PENDING) {
            loop.scheduleReady(entry);
        } else {
            addWaiter(entry);
        }
    }

    /**
     * Removes every registration of {@code fn} (compared with {@code ==}).
     *
     * @return how many were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> fn) {
        Object cbs = callbacks;
        if (cbs instanceof DoneCallback<?> single) {
            if (single.fn == fn) {
                callbacks = null;
                return 1;
            }
            return 0;
        }
        if (cbs instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(r -> r instanceof DoneCallback<?> d && d.fn == fn);
            return before - list.size();
        }
        return 0;
    }

    /**
     * A {@link CompletableFuture} mirroring this future, for code on other threads: the way back
     * from asyncio's {@code wrap_future}. It completes on this future's loop thread with its
     * result, or exceptionally with its exception unchanged, or is cancelled if this future is
     * cancelled; if this future is already done, the returned one is already complete.
     * Cancelling the returned future with {@link CompletableFuture#cancel} cancels this one: at
     * once when done on the loop's thread, on the loop's next iteration from any other thread.
     * Other ways of completing it do not affect this future.
     *
     * <p>Dependent stages registered with the non-{@code Async} methods usually run on the loop
     * thread, which completes the returned future (a thread blocked in its {@code get()} may run
     * them instead): keep them short, or use the {@code Async} variants.
     *
     * <p>Callable from any thread; from a thread other than the running loop's it takes effect
     * on the loop's next iteration.
     */
    public CompletableFuture<T> asCompletableFuture() {
        LoopCompletableFuture<T> cf = new LoopCompletableFuture<>(loop);
        if (!loop.isRunning() || loop.inLoopThread()) {
            cf.attach(this);
        } else {
            try {
                loop.callSoonThreadsafeInternal(() -> cf.attach(this));
            } catch (IllegalStateException closedMeanwhile) {
                cf.attach(this);
            }
        }
        return cf;
    }

    /** Registers a waiter (a task or a callback) without the pending check of the public API. */
    final void addWaiter(Ready waiter) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = waiter;
        } else if (cbs instanceof ArrayList<?> list) {
            @SuppressWarnings("unchecked")
            ArrayList<Ready> l = (ArrayList<Ready>) list;
            l.add(waiter);
        } else {
            ArrayList<Ready> l = new ArrayList<>(4);
            l.add((Ready) cbs);
            l.add(waiter);
            callbacks = l;
        }
    }

    /** Removes one registration of a waiter, compared with {@code ==}. */
    final void removeWaiter(Ready waiter) {
        Object cbs = callbacks;
        if (cbs == waiter) {
            callbacks = null;
        } else if (cbs instanceof ArrayList<?> list) {
            list.remove(waiter);
        }
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayList<?> list) {
            for (Object r : list) {
                loop.scheduleReady((Ready) r);
            }
        } else {
            loop.scheduleReady((Ready) cbs);
        }
    }

    private void checkPending() {
        if (state != PENDING) {
            throw new InvalidStateError(stateName() + ": " + this);
        }
    }

    private void markRetrieved() {
        UnretrievedException u = unretrieved;
        if (u != null) {
            unretrieved = null;
            u.retrieved();
        }
    }

    /** The error raised for a cancelled future: the original one once, then fresh ones. */
    CancelledError makeCancelledError() {
        CancelledError e = cancelledError;
        if (e != null) {
            cancelledError = null;
            return e;
        }
        return new CancelledError(cancelMessage);
    }

    final String stateName() {
        return switch (state) {
            case PENDING -> "PENDING";
            case CANCELLED -> "CANCELLED";
            default -> "FINISHED";
        };
    }

    /** The state part of {@link #toString()}, shared with Task. */
    final String describeState() {
        return switch (state) {
            case PENDING -> "pending";
            case CANCELLED -> "cancelled";
            default -> exception != null ? "finished exception=" + exception : "finished result=" + result;
        };
    }

    @Override
    public String toString() {
        return "Future[" + describeState() + "]";
    }

    /** A user callback waiting for a future; scheduled on the ready queue as is. */
    private static final class DoneCallback<T> extends Ready {
        private final Future<T> future;
        final Consumer<? super Future<T>> fn;
        private final Context context;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> fn, Context context) {
            this.future = future;
            this.fn = fn;
            this.context = context;
        }

        @Override
        void runReady() {
            EventLoop loop = future.loop;
            Context previous = loop.swapContext(context);
            try {
                fn.accept(future);
            } catch (Throwable e) {
                loop.reportCallbackError("Exception in callback " + fn + " of " + future, e, null);
            } finally {
                loop.swapContext(previous);
            }
        }
    }
}
