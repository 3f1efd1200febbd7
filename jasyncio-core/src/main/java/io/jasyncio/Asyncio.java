package io.jasyncio;

import io.jasyncio.internal.net.Streams;
import io.jasyncio.net.ClientConnectedCallback;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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

    /**
     * A future of the running loop completed, on the loop thread, with the outcome of {@code stage}:
     * asyncio's {@code wrap_future}. Cancelling the returned future cancels {@code stage} when it is
     * a {@link java.util.concurrent.Future}. The stage's exception arrives unwrapped (not as a
     * {@link CompletionException}); its cancellation arrives as a cancelled future.
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        return wrapFuture(stage, EventLoop.running());
    }

    /** As {@link #wrapFuture(CompletionStage)} for {@code loop}; call it on that loop's thread. */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage, EventLoop loop) {
        Objects.requireNonNull(stage, "stage");
        Future<T> f = new Future<>(loop);
        CompletableFuture<T> cf = stage.toCompletableFuture();
        f.addWaiter(() -> {
            if (f.cancelled()) {
                cf.cancel(true);
            }
        });
        cf.whenComplete((value, error) -> loop.callSoonThreadsafe(() -> {
            if (f.done()) {
                return;
            }
            if (error == null) {
                f.setResult(value);
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof CancellationException) {
                f.cancel();
            } else {
                f.setException(cause);
            }
        }));
        return f;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * Runs the blocking {@code fn} on the running loop's default executor and suspends the task
     * until it returns: asyncio's {@code to_thread}. The call sees a copy of the task's context.
     * Cancelling the task does not stop {@code fn}; its result is dropped.
     */
    public static <T> T toThread(Callable<T> fn) {
        EventLoop loop = EventLoop.running();
        Context context = loop.currentContext().copy();
        return loop.runInExecutor(null, () -> context.run(fn)).await();
    }

    // ---------------------------------------------------------------- streams

    /**
     * Opens a TCP connection and returns its reader and writer: asyncio's {@code open_connection}.
     * Suspends the current task like {@link EventLoop#createConnection(java.util.function.Supplier, String, int)};
     * the reader has the default limit (64 KiB).
     *
     * @throws IOException naming the address if the connection cannot be made
     * @throws CancelledError if the task is cancelled; nothing stays open
     * @throws IllegalStateException if called outside a task
     */
    public static StreamConnection openConnection(String host, int port) throws IOException {
        return Streams.openConnection(host, port, StreamReader.DEFAULT_LIMIT, ConnectOptions.DEFAULT);
    }

    /**
     * As {@link #openConnection(String, int)} with the reader's {@code limit} and the options of
     * {@code create_connection}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static StreamConnection openConnection(String host, int port, int limit, ConnectOptions options)
            throws IOException {
        return Streams.openConnection(host, port, limit, options);
    }

    /** Connects to the Unix-domain socket at {@code path}: asyncio's {@code open_unix_connection}. */
    public static StreamConnection openUnixConnection(Path path) throws IOException {
        return Streams.openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /** As {@link #openUnixConnection(Path)} with the reader's {@code limit}. */
    public static StreamConnection openUnixConnection(Path path, int limit) throws IOException {
        return Streams.openUnixConnection(path, limit);
    }

    /**
     * Starts a TCP server that runs {@code clientConnected} as a new task for each client, with the
     * client's reader and writer: asyncio's {@code start_server}. Listens as
     * {@link EventLoop#createServer(java.util.function.Supplier, String, int)}; suspends the task for
     * one loop iteration so the server accepts when this returns.
     *
     * @param host the host to listen on; null or empty for every interface
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if called outside a task
     */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port)
            throws IOException {
        return Streams.startServer(clientConnected, java.util.Collections.singletonList(host), port,
                StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /** As {@link #startServer(ClientConnectedCallback, String, int)} with the readers' {@code limit} and server options. */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port, int limit,
            ServerOptions options) throws IOException {
        return Streams.startServer(clientConnected, java.util.Collections.singletonList(host), port, limit, options);
    }

    /** As {@link #startServer(ClientConnectedCallback, String, int)} listening on several hosts. */
    public static Server startServer(ClientConnectedCallback clientConnected, List<String> hosts, int port, int limit,
            ServerOptions options) throws IOException {
        return Streams.startServer(clientConnected, hosts, port, limit, options);
    }

    /** Starts a Unix-domain socket server at {@code path}: asyncio's {@code start_unix_server}. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path) throws IOException {
        return Streams.startUnixServer(clientConnected, path, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /** As {@link #startUnixServer(ClientConnectedCallback, Path)} with the readers' {@code limit} and server options. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path, int limit,
            ServerOptions options) throws IOException {
        return Streams.startUnixServer(clientConnected, path, limit, options);
    }
}
