package io.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A scope that owns the tasks started in it: asyncio's {@code TaskGroup} (3.11). asyncio's
 * {@code async with asyncio.TaskGroup() as tg:} is {@link #run TaskGroup.run(tg -> ...)}:
 *
 * <pre>{@code
 * TaskGroup.run(tg -> {
 *     Task<String> a = tg.createTask(() -> fetch("a"));
 *     Task<String> b = tg.createTask(() -> fetch("b"));
 * });
 * // both tasks are done here
 * }</pre>
 *
 * <p>{@code run} runs the body in the current task, then suspends until every task of the group
 * is done, including tasks created meanwhile by other tasks of the group.
 *
 * <p><b>Failure.</b> The first task that fails (with anything but {@link CancelledError})
 * cancels every other task of the group and the body itself; so does an exception thrown by the
 * body. {@code run} then waits for the cancelled tasks and throws an {@link ExceptionGroup}
 * holding every error, the tasks' first and the body's last (a cancelled task contributes
 * nothing). The body's exception never escapes on its own: it is always inside the group.
 *
 * <p><b>Cancellation.</b> If the task running the group is cancelled from outside, the group
 * cancels its tasks, waits for them, and rethrows the {@link CancelledError}, unless some task
 * failed, in which case the {@link ExceptionGroup} wins and the cancellation request stays
 * pending on the task (its {@link Task#cancelling()} count is unchanged), so the next suspension
 * is cancelled again. The cancellation the group itself requested to stop its body is withdrawn
 * with {@link Task#uncancel()} and never leaks out of {@code run}.
 *
 * <p>There is no try-with-resources form: {@code close()} cannot see the body's exception, so it
 * could neither cancel the tasks when the body fails nor put the body's exception in the group.
 */
public final class TaskGroup {

    /** The body of a task group: asyncio's {@code async with TaskGroup() as tg:} block. */
    @FunctionalInterface
    public interface Body {

        /** Runs in the task that called {@link TaskGroup#run}; may suspend and throw anything. */
        void run(TaskGroup tg) throws Exception;
    }

    private final EventLoop loop;
    private final Task<?> parent;
    /** The context the group's done callbacks run in: they read no context variable, so one serves all. */
    private final Context callbackContext;
    private final Consumer<Future<?>> onTaskDone = this::onTaskDone;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    /** Completed when the last task is done, while {@link #exit} waits for it. */
    private Future<Boolean> onCompleted;

    private TaskGroup(EventLoop loop, Task<?> parent) {
        this.loop = loop;
        this.parent = parent;
        this.callbackContext = loop.currentContext();
    }

    /**
     * Runs {@code body} with a new group in the current task, then waits for all the group's
     * tasks; see the class comment for failure and cancellation. Suspends while {@code body}
     * suspends and while tasks remain.
     *
     * @throws ExceptionGroup with every error of the tasks and of the body, if any
     * @throws CancelledError if the current task was cancelled from outside and nothing failed
     * @throws IllegalStateException if called outside a task
     */
    public static void run(Body body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.running();
        Task<?> parent = loop.currentTask();
        if (parent == null) {
            throw new IllegalStateException("TaskGroup cannot determine the parent task: run() must be called inside a task");
        }
        TaskGroup group = new TaskGroup(loop, parent);
        Throwable bodyError = null;
        try {
            body.run(group);
        } catch (Throwable e) {
            bodyError = e;
        }
        group.exit(bodyError);
    }

    /**
     * Starts {@code coro} as a task of this group: asyncio's {@code tg.create_task}. The task is
     * scheduled (or started eagerly under an eager task factory) as by
     * {@link Asyncio#createTask(AsyncCallable)}. Does not suspend.
     *
     * @throws IllegalStateException if the group is finished, or shutting down because a task
     *     failed or the group was cancelled
     */
    public <T> Task<T> createTask(AsyncCallable<T> coro) {
        return createTask(coro, TaskOptions.DEFAULT);
    }

    /** As {@link #createTask(AsyncCallable)} for a coroutine without a result. */
    public Task<Void> createTask(AsyncRunnable coro) {
        Objects.requireNonNull(coro, "coro");
        return createTask(coro.asCallable(), TaskOptions.DEFAULT);
    }

    /** As {@link #createTask(AsyncCallable)} with a name. */
    public <T> Task<T> createTask(AsyncCallable<T> coro, String name) {
        return createTask(coro, TaskOptions.named(name));
    }

    /** As {@link #createTask(AsyncCallable)} with a name, a context and an eager-start choice. */
    public <T> Task<T> createTask(AsyncCallable<T> coro, TaskOptions options) {
        Objects.requireNonNull(coro, "coro");
        Objects.requireNonNull(options, "options");
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = loop.createTask(coro, options);
        // Registered even when an eager task is already done, so its error is handled in order.
        tasks.add(task);
        task.addDoneCallback(onTaskDone, callbackContext);
        return task;
    }

    /** asyncio's {@code TaskGroup._aexit}: waits for the tasks, then decides what to throw. */
    private void exit(Throwable exc) {
        exiting = true;
        CancelledError propagateCancellation = exc instanceof CancelledError c ? c : null;
        if (exc != null && !aborting) {
            // The body failed, or the parent task is being cancelled: stop the tasks.
            abort();
        }
        // A loop, because the wait is cancelled again each time the parent task is cancelled again.
        while (!tasks.isEmpty()) {
            if (onCompleted == null) {
                onCompleted = new Future<>(loop);
            }
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                if (!aborting) {
                    // The parent task was cancelled from outside while the group waited.
                    propagateCancellation = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        if (parentCancelRequested && parent.uncancel() == 0) {
            // Only our own cancellation was pending: it must not leak out of the group.
            propagateCancellation = null;
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            throw propagateCancellation;
        }
        if (exc != null && !(exc instanceof CancelledError)) {
            errors.add(exc);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // Keep an outside cancellation pending (with the same count) after the group error.
                parent.uncancel();
                parent.cancel();
            }
            throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> task) {
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (!aborting && !parentCancelRequested) {
            // Interrupt the body (or the wait in exit) by cancelling the parent; exit withdraws it.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /** E.g. {@code TaskGroup[tasks=2 errors=1 cancelling]}: asyncio's repr. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TaskGroup[");
        if (!tasks.isEmpty()) {
            s.append("tasks=").append(tasks.size()).append(' ');
        }
        if (!errors.isEmpty()) {
            s.append("errors=").append(errors.size()).append(' ');
        }
        return s.append(aborting ? "cancelling" : "entered").append(']').toString();
    }
}
