package io.jasyncio;

import io.jasyncio.internal.coro.Coroutine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A coroutine running concurrently on an event loop: asyncio's {@code Task}. Created by
 * {@link Asyncio#createTask}, {@link EventLoop#createTask} or a {@link TaskGroup}-like owner; a
 * task starts on the loop's next iteration (or at once when started eagerly) and its outcome is
 * the coroutine's return value or exception.
 *
 * <p>A task is stackful: when its code awaits something not yet done, the whole stack is
 * suspended and the loop runs other callbacks; only one task of a loop runs at a time.
 *
 * <p><b>Cancellation</b> follows asyncio 3.11+. {@link #cancel(String)} requests it: if the task
 * is waiting on a future, that future is cancelled; otherwise {@link CancelledError} is raised in
 * the task at its next suspension. A task may catch it and go on (then it should call
 * {@link #uncancel()}); {@link #cancelling()} counts the requests not yet withdrawn. A task whose
 * coroutine ends by raising {@link CancelledError} is cancelled.
 *
 * @param <T> the result type
 */
public class Task<T> extends Future<T> {
    private final AsyncCallable<T> coro;
    private final Coroutine coroutine;
    /** The task's entry in the ready queue and the body of its coroutine. */
    private final Step step = new Step();
    final Context context;
    /**
     * The context current when the task last suspended, entered again when it resumes: its own,
     * or one a {@link Context#run} in progress across the suspension entered.
     */
    Context suspendedContext;
    final long id;
    private String name;
    /** The future this task is suspended on, or null. */
    private Future<?> futWaiter;
    private boolean mustCancel;
    private int numCancelsRequested;
    /** This task's entry in its loop's registry of live tasks. */
    final TaskRegistry.Entry registryEntry;

    /**
     * Creates a task of {@code loop} running {@code coro}, and schedules it (or, when
     * {@code options.eagerStart()} is true and the loop is running, runs it at once until its first
     * suspension). For task factories and subclasses; code normally calls {@link Asyncio#createTask}.
     */
    public Task(EventLoop loop, AsyncCallable<T> coro, TaskOptions options) {
        super(loop);
        Objects.requireNonNull(options, "options");
        this.coro = Objects.requireNonNull(coro, "coro");
        this.id = loop.nextTaskId();
        this.name = options.name();
        this.context = options.context() != null ? options.context() : loop.currentContext().copy();
        this.suspendedContext = context;
        this.coroutine = loop.backend.create(step);
        this.registryEntry = loop.tasks.register(this, loop.debug ? Thread.currentThread().getStackTrace() : null);
        if (Boolean.TRUE.equals(options.eagerStart()) && loop.isRunning()) {
            loop.runTaskStep(this);
        } else {
            loop.scheduleReady(step);
        }
    }

    /** The task's name: the one given, or {@code Task-N} in creation order. */
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + id;
    }

    String getNameOrNull() {
        return name;
    }

    /** Renames the task. */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        registryEntry.name = name;
    }

    /** The coroutine function this task runs. */
    public AsyncCallable<T> getCoro() {
        return coro;
    }

    /** The context the task runs in. */
    public Context getContext() {
        return context;
    }

    /**
     * Requests cancellation: asyncio's {@code Task.cancel(msg)}. Does not suspend, and the task is
     * not done when this returns: if it is waiting on a future, that future is cancelled, so the
     * task resumes with {@link CancelledError} on a later loop iteration; otherwise the
     * {@code CancelledError} is raised in it at its next suspension, or the task ends cancelled if
     * its coroutine returns first; a task that has not started yet ends cancelled without running
     * its coroutine. Each call adds one to
     * {@link #cancelling()}. The task may catch the error and go on; see the class comment.
     *
     * @param msg the message of the {@link CancelledError}, or null
     * @return false if the task is already done, true otherwise
     */
    @Override
    public boolean cancel(String msg) {
        if (done()) {
            return false;
        }
        numCancelsRequested++;
        Future<?> waiter = futWaiter;
        if (waiter != null && waiter.cancel(msg)) {
            return true;
        }
        mustCancel = true;
        cancelMessage = msg;
        return true;
    }

    /** How many cancellation requests are pending: {@code cancel()} calls minus {@code uncancel()} calls. */
    public int cancelling() {
        return numCancelsRequested;
    }

    /**
     * Withdraws one cancellation request. When none are left, a cancellation that was requested but
     * not yet delivered is dropped.
     *
     * @return the number of requests left
     */
    public int uncancel() {
        if (numCancelsRequested > 0) {
            numCancelsRequested--;
            if (numCancelsRequested == 0) {
                mustCancel = false;
            }
        }
        return numCancelsRequested;
    }

    /**
     * The frames of the suspended task, innermost first (empty when it is done or has not started),
     * at most {@code limit} of them (no limit when {@code limit <= 0}). For a task that failed, the
     * frames of its exception.
     */
    public List<StackTraceElement> getStack(int limit) {
        StackTraceElement[] frames;
        if (state == FINISHED && exception() != null) {
            frames = exception().getStackTrace();
        } else {
            frames = coroutine.stackTrace();
        }
        int n = limit > 0 ? Math.min(limit, frames.length) : frames.length;
        return new ArrayList<>(Arrays.asList(frames).subList(0, n));
    }

    /** Prints the task and its {@link #getStack(int) stack} to {@code out}. */
    public void printStack(int limit, PrintStream out) {
        out.println("Stack for " + this + " (most recent call first):");
        for (StackTraceElement frame : getStack(limit)) {
            out.println("\tat " + frame);
        }
    }

    /**
     * Not supported: a task is completed by its coroutine only.
     *
     * @throws UnsupportedOperationException always (asyncio's RuntimeError)
     */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult");
    }

    /**
     * Not supported: a task is completed by its coroutine only.
     *
     * @throws UnsupportedOperationException always (asyncio's RuntimeError)
     */
    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("Task does not support setException");
    }

    /**
     * The task as its loop sees it: an entry of the ready queue that runs the task's next step, and
     * the body its coroutine runs. Kept out of the public type so that no application code can
     * resume a task out of turn; one object serves both roles, so a task costs no extra allocation.
     */
    final class Step extends Ready implements Runnable {
        Task<T> task() {
            return Task.this;
        }

        @Override
        void runReady() {
            loop.runTaskStep(Task.this);
        }

        @Override
        public void run() {
            body();
        }

        @Override
        public String toString() {
            return Task.this.toString();
        }
    }

    /** Resumes the coroutine; called by the loop with this task made current. */
    void step() {
        if (!coroutine.isDone()) {
            coroutine.resume();
        }
    }

    private void body() {
        loop.adoptCurrentThread();
        if (mustCancel) {
            mustCancel = false;
            finishCancelled(new CancelledError(cancelMessage));
            return;
        }
        T value;
        try {
            value = coro.call();
        } catch (CancelledError e) {
            finishCancelled(e);
            return;
        } catch (Throwable e) {
            loop.tasks.finished(registryEntry);
            super.setException(e);
            return;
        }
        loop.tasks.finished(registryEntry);
        if (mustCancel) {
            // Cancelled right before the coroutine returned: asyncio reports the task cancelled.
            mustCancel = false;
            super.cancel(cancelMessage);
        } else {
            super.setResult(value);
        }
    }

    private void finishCancelled(CancelledError e) {
        loop.tasks.finished(registryEntry);
        cancelledError = e;
        super.cancel(e.getMessage());
    }

    /** Suspends this (the running) task until {@code f} is done; see {@link Future#await()}. */
    void awaitFuture(Future<?> f) {
        if (f == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        f.addWaiter(step);
        futWaiter = f;
        if (mustCancel && f.cancel(cancelMessage)) {
            mustCancel = false;
        }
        try {
            coroutine.suspend();
        } catch (RuntimeException | Error e) {
            // The JVM could not suspend: undo the registration so nothing resumes a running task.
            f.removeWaiter(step);
            futWaiter = null;
            throw e;
        }
        futWaiter = null;
        deliverPendingCancel();
    }

    /** Suspends this (the running) task for one loop iteration: {@code sleep(0)}. */
    void yieldOnce() {
        loop.scheduleReady(step);
        try {
            coroutine.suspend();
        } catch (RuntimeException | Error e) {
            loop.unscheduleReady(step);
            throw e;
        }
        deliverPendingCancel();
    }

    /** Raises a cancellation requested while the task could not be woken by its future. */
    private void deliverPendingCancel() {
        if (mustCancel) {
            mustCancel = false;
            throw new CancelledError(cancelMessage);
        }
    }

    /** The thread this task's steps run on when it is not the loop's own (virtual-thread backend), else null. */
    Thread stepThread() {
        return coroutine.bodyThread();
    }

    /** Where the task was created, in debug mode; null otherwise. */
    StackTraceElement[] sourceTraceback() {
        return registryEntry.sourceTraceback;
    }

    @Override
    public String toString() {
        String s = "Task[name=" + getName() + ", " + describeState();
        Future<?> w = futWaiter;
        if (w != null) {
            s += ", waiting for " + w;
        }
        return s + "]";
    }
}
