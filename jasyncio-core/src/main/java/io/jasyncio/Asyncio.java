package io.jasyncio;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The module-level functions of asyncio as static methods: {@code asyncio.run} is
 * {@link #run(AsyncCallable)}, {@code asyncio.create_task} is {@link #createTask(AsyncCallable)},
 * {@code asyncio.sleep} is {@link #sleep(double)}, and so on.
 *
 * <p>Methods that wait ("await" in asyncio) suspend the current task and must be called from
 * inside a task; they throw {@link IllegalStateException} elsewhere.
 */
public final class Asyncio {
    private static final ThreadLocal<EventLoop> SET_LOOP = new ThreadLocal<>();
    private static final TaskFactory EAGER_TASK_FACTORY = createEagerTaskFactory(null);

    private Asyncio() {
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs {@code main} on a new event loop and returns its result: asyncio's {@code asyncio.run}.
     * Creates the loop, runs {@code main} as a task until it is done, cancels the tasks left
     * pending and waits for them, shuts down the default executor, and closes the loop.
     *
     * @throws IllegalStateException if called while a loop is running on this thread
     * @throws Throwable whatever {@code main} throws, unchanged (checked exceptions included)
     */
    public static <T> T run(AsyncCallable<T> main) {
        return run(main, null, null);
    }

    /** As {@link #run(AsyncCallable)} for a coroutine without a result. */
    public static void run(AsyncRunnable main) {
        run(main.asCallable(), null, null);
    }

    /** As {@link #run(AsyncCallable)} with debug mode on or off. */
    public static <T> T run(AsyncCallable<T> main, boolean debug) {
        return run(main, null, debug);
    }

    /**
     * As {@link #run(AsyncCallable)} on a loop made by {@code loopFactory}, e.g.
     * {@code () -> EventLoop.newEventLoop(new VirtualClock())}; {@code debug} null keeps the loop's setting.
     */
    public static <T> T run(AsyncCallable<T> main, Supplier<EventLoop> loopFactory, Boolean debug) {
        try (Runner runner = new Runner(loopFactory, debug)) {
            return runner.run(main);
        }
    }

    // ---------------------------------------------------------------- loops

    /**
     * The running loop: asyncio's {@code get_running_loop()}.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static EventLoop getRunningLoop() {
        return EventLoop.running();
    }

    /**
     * The running loop, else the loop set for this thread by {@link #setEventLoop}: asyncio's
     * {@code get_event_loop()}. Unlike asyncio before 3.14, never creates one.
     *
     * @throws IllegalStateException if there is neither
     */
    public static EventLoop getEventLoop() {
        EventLoop running = EventLoop.runningOrNull();
        if (running != null) {
            return running;
        }
        EventLoop set = SET_LOOP.get();
        if (set == null) {
            throw new IllegalStateException("There is no current event loop in thread " + Thread.currentThread().getName());
        }
        return set;
    }

    /** Makes {@code loop} this thread's current loop (null clears it): asyncio's {@code set_event_loop}. */
    public static void setEventLoop(EventLoop loop) {
        if (loop == null) {
            SET_LOOP.remove();
        } else {
            SET_LOOP.set(loop);
        }
    }

    static void clearEventLoop(EventLoop loop) {
        if (SET_LOOP.get() == loop) {
            SET_LOOP.remove();
        }
    }

    /** A new event loop: asyncio's {@code new_event_loop()}. */
    public static EventLoop newEventLoop() {
        return EventLoop.newEventLoop();
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Starts {@code coro} as a task on the running loop: asyncio's {@code create_task}. The task
     * starts on the next loop iteration (at once under an eager task factory).
     *
     * @throws IllegalStateException if no loop is running
     */
    public static <T> Task<T> createTask(AsyncCallable<T> coro) {
        return EventLoop.running().createTask(coro, TaskOptions.DEFAULT);
    }

    /** As {@link #createTask(AsyncCallable)} for a coroutine without a result. */
    public static Task<Void> createTask(AsyncRunnable coro) {
        return EventLoop.running().createTask(coro.asCallable(), TaskOptions.DEFAULT);
    }

    /** As {@link #createTask(AsyncCallable)} with a name, a context and an eager-start choice (3.14). */
    public static <T> Task<T> createTask(AsyncCallable<T> coro, TaskOptions options) {
        return EventLoop.running().createTask(coro, options);
    }

    /** As {@link #createTask(AsyncCallable)} with a name. */
    public static <T> Task<T> createTask(AsyncCallable<T> coro, String name) {
        return EventLoop.running().createTask(coro, TaskOptions.named(name));
    }

    /** The task running now, or null when called from a plain callback: asyncio's {@code current_task()}. */
    public static Task<?> currentTask() {
        return EventLoop.running().currentTask();
    }

    /** The task running now on {@code loop}, or null. */
    public static Task<?> currentTask(EventLoop loop) {
        return loop.currentTask();
    }

    /** The pending tasks of the running loop: asyncio's {@code all_tasks()}. */
    public static Set<Task<?>> allTasks() {
        return allTasks(EventLoop.running());
    }

    /** The pending tasks of {@code loop}. */
    public static Set<Task<?>> allTasks(EventLoop loop) {
        return new LinkedHashSet<>(loop.pendingTasks());
    }

    /**
     * A task factory that starts every task eagerly (unless the caller passes {@code eagerStart}
     * false): asyncio's {@code eager_task_factory} (3.12). An eager task runs synchronously inside
     * {@code createTask} until its first suspension, and never touches the loop if it finishes
     * without suspending.
     */
    public static TaskFactory eagerTaskFactory() {
        return EAGER_TASK_FACTORY;
    }

    /**
     * An eager task factory building its tasks with {@code taskConstructor} (null: {@link Task}):
     * asyncio's {@code create_eager_task_factory}.
     */
    public static TaskFactory createEagerTaskFactory(TaskFactory taskConstructor) {
        return (loop, coro, options) -> {
            TaskOptions eager = options.eagerStart() == null ? options.withEagerStart(true) : options;
            return taskConstructor == null ? new Task<>(loop, coro, eager) : taskConstructor.createTask(loop, coro, eager);
        };
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * Suspends the current task for {@code seconds} of loop time: asyncio's {@code sleep}. A delay
     * of zero or less yields once: other ready callbacks run, then this task resumes.
     *
     * @throws CancelledError if the task is cancelled while sleeping
     * @throws IllegalArgumentException if {@code seconds} is NaN
     * @throws IllegalStateException if called outside a task
     */
    public static void sleep(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("seconds must be a number, not NaN");
        }
        sleepNanos(seconds >= Long.MAX_VALUE / 4e9 ? Long.MAX_VALUE / 4 : (long) Math.ceil(seconds * 1e9));
    }

    /** As {@link #sleep(double)} with a {@link Duration}. */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        sleepNanos(EventLoop.saturatedNanos(delay));
    }

    /** As {@link #sleep(double)}, then returns {@code result}: asyncio's {@code sleep(delay, result)}. */
    public static <T> T sleep(double seconds, T result) {
        sleep(seconds);
        return result;
    }

    private static void sleepNanos(long nanos) {
        EventLoop loop = EventLoop.running();
        Task<?> task = loop.currentTask();
        if (task == null) {
            throw new IllegalStateException("sleep() called outside a task");
        }
        if (nanos <= 0) {
            task.yieldOnce();
            return;
        }
        Wakeup wakeup = new Wakeup(loop);
        TimerHandle timer = loop.callLaterInternal(nanos, wakeup);
        try {
            task.awaitFuture(wakeup);
            wakeup.result();
        } finally {
            timer.cancel();
        }
    }

    /** The future a sleeping task waits on, which is also its timer's callback. */
    private static final class Wakeup extends Future<Void> implements Runnable {
        Wakeup(EventLoop loop) {
            super(loop);
        }

        @Override
        public void run() {
            if (!done()) {
                setResult(null);
            }
        }
    }

    // ---------------------------------------------------------------- futures

    /** Whether {@code obj} is a jasyncio {@link Future} (tasks included): asyncio's {@code isfuture}. */
    public static boolean isFuture(Object obj) {
        return obj instanceof Future<?>;
    }

    /**
     * Whether {@code obj} is a coroutine function ({@link AsyncCallable} or {@link AsyncRunnable}):
     * asyncio's {@code iscoroutinefunction}. Java has no separate coroutine object: calling the
     * function inside a task is the {@code await}.
     */
    public static boolean isCoroutineFunction(Object obj) {
        return obj instanceof AsyncCallable<?> || obj instanceof AsyncRunnable;
    }

    /**
     * {@code obj} as a future of the running loop: asyncio's {@code ensure_future}. A
     * {@link Future} is returned as is; an {@link AsyncCallable} or {@link AsyncRunnable} becomes a
     * task; a {@link CompletionStage} is wrapped with {@link #wrapFuture}.
     *
     * @throws IllegalArgumentException for anything else, naming its type
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<T> ensureFuture(Object obj) {
        if (obj instanceof Future<?> f) {
            return (Future<T>) f;
        }
        if (obj instanceof AsyncCallable<?> c) {
            return (Future<T>) createTask(c);
        }
        if (obj instanceof AsyncRunnable r) {
            return (Future<T>) createTask(r);
        }
        if (obj instanceof CompletionStage<?> s) {
            return wrapFuture((CompletionStage<T>) s);
        }
        throw new IllegalArgumentException("An asyncio.Future, a coroutine or an awaitable is required, got "
                + (obj == null ? "null" : obj.getClass().getName()));
    }

    // ---------------------------------------------------------------- threads and interop

    /**
     * Runs the blocking {@code fn} on a thread of the running loop's default executor and suspends
     * the current task until it returns: asyncio's {@code to_thread}. Other tasks of the loop run
     * meanwhile. {@code fn} runs in a copy of the task's {@link Context}, so it sees the task's
     * {@link ContextVar context variables}; values it sets stay on its side.
     *
     * <p>The loop's default executor runs the call: a virtual thread per call on the continuation
     * backend, a bounded platform pool on the virtual-thread backend (see
     * {@link EventLoop#setDefaultExecutor}). Meant for blocking I/O (JDBC, files, blocking SDKs);
     * give CPU-heavy work a bounded pool of your own with {@link EventLoop#runInExecutor}.
     *
     * <p><b>Cancellation.</b> Cancelling the task while it waits raises {@link CancelledError} in
     * the task at once, but does not stop {@code fn}: a thread cannot be stopped safely, so
     * {@code fn} runs to its end (it is not interrupted) and its result or exception is dropped.
     * {@code fn} never starts if the task is cancelled before the executor picks it up.
     *
     * @return what {@code fn} returned
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task, or after the loop's default executor was shut down
     * @throws Throwable whatever {@code fn} threw, unchanged (checked exceptions included)
     */
    public static <T> T toThread(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        EventLoop loop = loopOfCurrentTask("toThread");
        Context context = loop.currentContext().copy();
        return loop.runInExecutor(null, () -> context.run(fn)).await();
    }

    /**
     * Submits {@code coro} to {@code loop} from any thread and returns a {@link CompletableFuture}
     * of its outcome: asyncio's {@code run_coroutine_threadsafe}. On the loop's next iteration a
     * task is created for {@code coro} (through the loop's task factory), in a copy of the caller's
     * {@link Context}. The returned future completes on the loop thread with the task's result, or
     * exceptionally with its exception unchanged ({@code get()} wraps it in an
     * {@link ExecutionException}, {@code join()} in a {@link CompletionException}), or is cancelled
     * if the task is cancelled. If creating the task fails, the returned future completes with that
     * error, which also goes to the loop's exception handler.
     *
     * <p><b>Cancellation.</b> {@link CompletableFuture#cancel} on the returned future (from any
     * thread) cancels the task. If that happens before the loop picked the submission up, the task
     * still starts and is cancelled at its first suspension, as in asyncio.
     *
     * <p>Do not block on the returned future from the loop's own thread (a task or callback of
     * {@code loop}): the loop could never run the coroutine. Use {@link #await(CompletionStage)} there.
     * Dependent stages registered with non-{@code Async} methods usually run on the loop thread,
     * which completes the returned future: keep them short, or use the {@code Async} variants.
     *
     * @throws IllegalStateException if {@code loop} is closed
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(AsyncCallable<T> coro, EventLoop loop) {
        Objects.requireNonNull(coro, "coro");
        Objects.requireNonNull(loop, "loop");
        LoopCompletableFuture<T> outcome = new LoopCompletableFuture<>(loop);
        loop.callSoonThreadsafe(() -> {
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
                throw e;
            }
            outcome.attach(task);
        });
        return outcome;
    }

    /** As {@link #runCoroutineThreadsafe(AsyncCallable, EventLoop)} for a coroutine without a result. */
    public static CompletableFuture<Void> runCoroutineThreadsafe(AsyncRunnable coro, EventLoop loop) {
        Objects.requireNonNull(coro, "coro");
        return runCoroutineThreadsafe(coro.asCallable(), loop);
    }

    /**
     * Suspends the current task until {@code stage} completes and returns its result: awaiting a
     * {@link CompletionStage} (the JDK {@code HttpClient}'s {@code sendAsync}, an async driver, a
     * {@link CompletableFuture} from another loop's {@link #runCoroutineThreadsafe}). The same as
     * {@code wrapFuture(stage).await()}: the outcome is delivered on the loop thread, so the task
     * resumes there, even when {@code stage} is already complete (it then resumes on the next
     * loop iteration). Until {@code stage} completes a {@link VirtualClock} waits for it in real time.
     *
     * <p><b>Cancellation.</b> Cancelling the task cancels {@code stage} when it is a
     * {@link java.util.concurrent.Future} ({@code cancel(true)}: stages able to abort their work do,
     * such as the {@code HttpClient}'s exchange; a plain {@link CompletableFuture} is just marked
     * cancelled). If {@code stage} is cancelled, the task sees {@link CancelledError}.
     *
     * @throws CancelledError if the task or the stage is cancelled
     * @throws IllegalStateException if called outside a task
     * @throws Throwable the stage's exception, unchanged: unwrapped from the
     *     {@link CompletionException} that dependent stages add
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        return wrapFuture(stage, loopOfCurrentTask("await")).await();
    }

    /**
     * A future of the current loop (the running one, else the one {@linkplain #setEventLoop set} for
     * this thread) mirroring {@code stage}: asyncio's {@code wrap_future}. Its outcome is delivered
     * on the loop thread, on a loop iteration after {@code stage} completes: the value; the
     * exception unchanged, unwrapped from a {@link CompletionException}; a cancelled stage cancels
     * it. Cancelling the returned future cancels {@code stage} when it is a
     * {@link java.util.concurrent.Future} (with {@code cancel(true)}); an outcome arriving after
     * that is dropped.
     *
     * @throws IllegalStateException if there is no current loop
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        return wrapFuture(stage, getEventLoop());
    }

    /**
     * As {@link #wrapFuture(CompletionStage)} for {@code loop}. Call it on that loop's thread, or
     * before the loop runs.
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage, EventLoop loop) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(loop, "loop");
        StageFuture<T> f = new StageFuture<>(loop, stage);
        stage.whenComplete(f);
        return f;
    }

    /** The running loop, checked to be running a task: for functions that suspend after a side effect. */
    private static EventLoop loopOfCurrentTask(String function) {
        EventLoop loop = EventLoop.running();
        if (loop.currentTask() == null) {
            throw new IllegalStateException(function + "() called outside a task");
        }
        return loop;
    }
}
