package io.jasyncio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * is done, including tasks created meanwhile by other tasks of the group. A group made with
 * {@link #TaskGroup() new TaskGroup()} is entered later by {@link #enter}, for code that hands a
 * group to other code before it runs (to {@link #cancel()} it, say).
 *
 * <p><b>Failure.</b> The first task that fails (with anything but {@link CancelledError})
 * cancels every other task of the group and the body itself; so does an exception thrown by the
 * body. {@code run} then waits for the cancelled tasks and throws an {@link ExceptionGroup}
 * holding every error, the tasks' first and the body's last (a cancelled task contributes
 * nothing). The body's exception never escapes on its own, with one exception (3.15): a
 * {@link GeneratorExit} thrown by the body, when no task failed, is rethrown as it is, so that a
 * group inside an {@link AsyncGenerator} body lets {@link AsyncGenerator#aclose()} close it.
 *
 * <p><b>Early exit (3.15).</b> {@link #cancel()} stops the group without an error: it cancels the
 * unfinished tasks and the body, and {@code run} returns normally once they are done.
 *
 * <p><b>Cancellation.</b> If the task running the group is cancelled from outside, the group
 * cancels its tasks, waits for them, and rethrows the {@link CancelledError}, unless some task
 * failed, in which case the {@link ExceptionGroup} wins and the cancellation request stays
 * pending on the task (its {@link Task#cancelling()} count is unchanged), so the next suspension
 * is cancelled again. The cancellation the group itself requested to stop its body (after a
 * failure or {@link #cancel()}) is withdrawn with {@link Task#uncancel()} and never leaks out of
 * {@code run}; a cancellation from outside that arrives meanwhile still does.
 *
 * <p>There is no try-with-resources form: {@code close()} cannot see the body's exception, so it
 * could neither cancel the tasks when the body fails nor put the body's exception in the group.
 *
 * <p>Not thread-safe: use a group from the tasks of its loop.
 */
public final class TaskGroup {

    /** The body of a task group: asyncio's {@code async with TaskGroup() as tg:} block. */
    @FunctionalInterface
    public interface Body {

        /** Runs in the task that called {@link TaskGroup#run} or {@link TaskGroup#enter}; may suspend and throw anything. */
        void run(TaskGroup tg) throws Exception;
    }

    private final Consumer<Future<?>> onTaskDone = this::onTaskDone;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    /** Set when the group is entered. */
    private EventLoop loop;
    private Task<?> parent;
    /** The context the group's done callbacks run in: they read no context variable, so one serves all. */
    private Context callbackContext;
    private boolean entered;
    private boolean cancelOnEnter;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    /** Completed when the last task is done, while {@link #exit} waits for it. */
    private Future<Boolean> onCompleted;

    /**
     * Creates a group that is not entered yet: asyncio's {@code TaskGroup()} before its
     * {@code async with}. {@link #enter} runs it; until then it accepts no task, and
     * {@link #cancel()} only marks it to be cancelled on entry. May be called on any thread.
     */
    public TaskGroup() {
    }

    /**
     * Runs {@code body} with a new group in the current task, then waits for all the group's
     * tasks: {@code new TaskGroup().enter(body)}. See the class comment for failure and
     * cancellation. Suspends while {@code body} suspends and while tasks remain.
     *
     * @throws ExceptionGroup with every error of the tasks and of the body, if any
     * @throws CancelledError if the current task was cancelled from outside and nothing failed
     * @throws GeneratorExit if the body threw it and no task failed
     * @throws IllegalStateException if called outside a task
     */
    public static void run(Body body) {
        new TaskGroup().enter(body);
    }

    /**
     * Enters this group: runs {@code body} with it in the current task, then waits for all its
     * tasks, as {@link #run} does; asyncio's {@code async with tg:}. If {@link #cancel()} was
     * called before, the group is cancelled as it is entered: {@link #createTask} refuses tasks,
     * and the body runs until its first suspension, which throws {@link CancelledError} into it;
     * {@code enter} then returns normally. Suspends while {@code body} suspends and while tasks
     * remain.
     *
     * @throws ExceptionGroup with every error of the tasks and of the body, if any
     * @throws CancelledError if the current task was cancelled from outside and nothing failed
     * @throws GeneratorExit if the body threw it and no task failed
     * @throws IllegalStateException if the group was entered before, or if called outside a task
     *     (then the group stays unentered)
     */
    public void enter(Body body) {
        Objects.requireNonNull(body, "body");
        if (entered) {
            throw new IllegalStateException("TaskGroup " + this + " has already been entered");
        }
        EventLoop running = EventLoop.running();
        Task<?> current = running.currentTask();
        if (current == null) {
            throw new IllegalStateException("TaskGroup cannot determine the parent task: it must be entered inside a task");
        }
        loop = running;
        parent = current;
        callbackContext = running.currentContext();
        entered = true;
        if (cancelOnEnter) {
            cancel();
        }
        Throwable bodyError = null;
        try {
            body.run(this);
        } catch (Throwable e) {
            bodyError = e;
        }
        exit(bodyError);
    }

    /**
     * Starts {@code coro} as a task of this group: asyncio's {@code tg.create_task}. The task is
     * scheduled (or started eagerly under an eager task factory) as by
     * {@link Asyncio#createTask(AsyncCallable)}. Does not suspend.
     *
     * @throws IllegalStateException if the group is not entered yet, is finished, or is shutting
     *     down because a task failed or the group was cancelled
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
        if (!entered) {
            throw new IllegalStateException("TaskGroup " + this + " has not been entered");
        }
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
        if (aborting && !task.done()) {
            // An eager task cancelled the group before it was registered, so abort() missed it.
            task.cancel();
        }
        return task;
    }

    /**
     * Cancels the group: asyncio's {@code TaskGroup.cancel()} (3.15), an early exit that is not an
     * error, for when the group's work is done or no longer needed. Cancels every task of the
     * group that is not done, and the body: the task running the group gets a
     * {@link CancelledError} at its current or next suspension, which ends the body (unless it
     * catches it). {@link #run}/{@link #enter} then wait for the tasks and return normally,
     * without {@link CancelledError}; they still throw an {@link ExceptionGroup} if a task failed,
     * and still rethrow a cancellation that came from outside the group.
     *
     * <p>May be called from the body, from a task of the group, or from any other task or
     * callback of the loop. Called before the group is entered, it marks the group to be cancelled
     * as soon as it is entered. Does nothing if the group is already shutting down (cancelled, or
     * stopped by a failure) or finished, so it may be called again, and after the group ended.
     * Does not suspend.
     */
    public void cancel() {
        if (!entered) {
            cancelOnEnter = true;
            return;
        }
        if ((exiting && tasks.isEmpty()) || aborting) {
            return;
        }
        abort();
        // Not aborting yet means the group has not cancelled its parent yet either.
        parentCancelRequested = true;
        parent.cancel();
    }

    /** asyncio's {@code TaskGroup._aexit}: waits for the tasks, then decides what to throw. */
    private void exit(Throwable exc) {
        exiting = true;
        CancelledError propagateCancellation = exc instanceof CancelledError c ? c : null;
        if (exc != null && !aborting) {
            // The body failed, or the parent task is being cancelled: stop the tasks.
            abort();
        }
        // The last cancellation this wait absorbed: ours, or one from outside after ours.
        CancelledError absorbedCancellation = null;
        // A loop, because the wait is cancelled again each time the parent task is cancelled again.
        while (!tasks.isEmpty()) {
            if (onCompleted == null) {
                onCompleted = new Future<>(loop);
            }
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                absorbedCancellation = e;
                if (!aborting) {
                    // The parent task was cancelled from outside while the group waited.
                    propagateCancellation = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        if (parentCancelRequested) {
            if (parent.uncancel() == 0) {
                // Only our own cancellation was pending: it must not leak out of the group.
                propagateCancellation = null;
            } else if (propagateCancellation == null) {
                // A request is left that is not ours: the wait absorbed it, hand it on (gh-155433).
                propagateCancellation = absorbedCancellation;
            }
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
            if (exc instanceof GeneratorExit close && errors.size() == 1) {
                // The body is an async generator's being closed: aclose() expects GeneratorExit.
                throw close;
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
        if (parent.done()) {
            // Nothing can interrupt the body any more (an abandoned async generator's, say), so
            // the error would surface only if the body is ever closed: report it now.
            Map<String, Object> context = new HashMap<>();
            context.put("message", "Task " + task + " has errored out but its parent task " + parent
                    + " is already completed");
            context.put("exception", exc);
            context.put("task", task);
            loop.callExceptionHandler(context);
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Interrupt the body (or the wait in exit) by cancelling the parent; exit withdraws it.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /** E.g. {@code TaskGroup[tasks=2 errors=1 cancelling]}, or {@code TaskGroup[]} before entry: asyncio's repr. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TaskGroup[");
        if (!tasks.isEmpty()) {
            s.append("tasks=").append(tasks.size()).append(' ');
        }
        if (!errors.isEmpty()) {
            s.append("errors=").append(errors.size()).append(' ');
        }
        if (aborting) {
            s.append("cancelling");
        } else if (entered) {
            s.append("entered");
        }
        return s.append(']').toString();
    }
}
