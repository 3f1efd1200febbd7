package io.jasyncio;

import io.jasyncio.internal.net.Datagrams;
import io.jasyncio.internal.net.Streams;
import io.jasyncio.internal.subprocess.Subprocesses;
import io.jasyncio.net.ClientConnectedCallback;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.DatagramOptions;
import io.jasyncio.net.DatagramStream;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamReader;
import io.jasyncio.subprocess.Subprocess;
import io.jasyncio.subprocess.SubprocessOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
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
     * pending and waits for them, closes the async generators left unfinished, shuts down the
     * default executor, and closes the loop. Whatever {@code main} throws comes out unchanged
     * (checked exceptions included, although none is declared). On the JVM's main thread the
     * first Ctrl-C cancels {@code main}; see {@link Runner#run(AsyncCallable)}.
     *
     * @return what {@code main} returned
     * @throws KeyboardInterrupt if Ctrl-C cancelled {@code main}
     * @throws IllegalStateException if called while a loop is running on this thread
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
     * Starts {@code coro} as a task on the running loop: asyncio's {@code create_task}. Does not
     * suspend the caller: the task starts on the next loop iteration (under an eager task factory
     * it runs at once, until its first suspension).
     *
     * @return the new task
     * @throws IllegalStateException if no loop is running on this thread
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

    /**
     * The task running now, or null when called from a plain callback: asyncio's {@code current_task()}.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static Task<?> currentTask() {
        return EventLoop.running().currentTask();
    }

    /** The task running now on {@code loop}, or null. */
    public static Task<?> currentTask(EventLoop loop) {
        return loop.currentTask();
    }

    /**
     * The pending (not done) tasks of the running loop, in a new set: asyncio's {@code all_tasks()}.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
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

    // ---------------------------------------------------------------- async iteration and generators

    /**
     * Creates an async generator running {@code body}: Python's call of an {@code async def}
     * function containing {@code yield}. The body does not run until the generator is first
     * iterated; see {@link AsyncGenerator} for the protocol.
     *
     * <pre>{@code
     * AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
     *     for (int i = 0; i < 3; i++) {
     *         Asyncio.sleep(0.1);
     *         out.yield(i);
     *     }
     * });
     * }</pre>
     */
    public static <T> AsyncGenerator<T> generator(AsyncGenerator.Body<T> body) {
        return new AsyncGenerator<>(body);
    }

    /**
     * Runs {@code block} inside {@code manager}: Python's {@code async with manager as value:}.
     * Calls {@link AsyncContextManager#aenter()}, runs the block with its result, then calls
     * {@link AsyncContextManager#aexit(Throwable)} with the block's exception or null. Suspends the
     * task whenever the manager or the block does; a cancellation of the task arrives as
     * {@link CancelledError} wherever it is suspended, and reaches {@code aexit} like any exception
     * of the block.
     *
     * <p><b>Exceptions</b>, all unchanged, checked ones included (none is declared): the exception
     * of {@code aenter} (the block and {@code aexit} then do not run); else the exception
     * {@code aexit} throws, which replaces the block's (the block's is added to it as suppressed,
     * unless it is its cause); else the block's exception, unless {@code aexit} suppressed it.
     *
     * @return the block's result, or null if the block threw and {@code aexit} suppressed it
     * @throws NullPointerException if {@code manager} or {@code block} is null
     */
    public static <T, R> R with(AsyncContextManager<T> manager, AsyncContextManager.Block<? super T, ? extends R> block) {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(block, "block");
        T value;
        try {
            value = manager.aenter();
        } catch (Exception e) {
            throw Throwables.rethrow(e);
        }
        R result;
        try {
            result = block.run(value);
        } catch (Throwable e) {
            boolean suppress;
            try {
                suppress = manager.aexit(e);
            } catch (Throwable replacement) {
                if (replacement != e && replacement.getCause() != e) {
                    replacement.addSuppressed(e);
                }
                throw Throwables.rethrow(replacement);
            }
            if (suppress) {
                return null;
            }
            throw Throwables.rethrow(e);
        }
        try {
            manager.aexit(null);
        } catch (Exception e) {
            throw Throwables.rethrow(e);
        }
        return result;
    }

    /**
     * An async context manager made from a generator body that yields once: Python's
     * {@code @contextlib.asynccontextmanager}. Entering runs the body to its yield and binds the
     * yielded value; leaving resumes it after the yield, or, if the block threw, raises the block's
     * exception at the yield, so a {@code try/finally} around the yield is the cleanup and a
     * {@code catch} there may suppress the exception (by not rethrowing it). The manager is
     * single-use, like the object Python's decorated function returns for each call.
     *
     * <pre>{@code
     * AsyncContextManager<Connection> connection = Asyncio.asyncContextManager(out -> {
     *     Connection c = pool.acquire();
     *     try {
     *         out.yield(c);
     *     } finally {
     *         pool.release(c);
     *     }
     * });
     * Asyncio.with(connection, c -> c.query("select 1"));
     * }</pre>
     *
     * <p>Entering fails with {@link IllegalStateException} "generator didn't yield" if the body
     * returns without yielding; leaving fails with "generator didn't stop" if it yields twice.
     */
    public static <T> AsyncContextManager<T> asyncContextManager(AsyncGenerator.Body<T> body) {
        return new GeneratorContextManager<>(body);
    }

    /**
     * {@code source} as a {@link Flow.Publisher} for reactive code (Reactor, RxJava, the JDK's
     * {@code HttpClient} body subscribers). It accepts one subscriber, from any thread; values are
     * pulled from {@code source} by a task on the running loop only while the subscriber has
     * unfilled demand ({@code request(n)}), so a slow subscriber holds the source back; finding
     * out that {@code source} has ended also takes a pull, so {@code onComplete} comes once the
     * subscriber has demand beyond the last value. Signals
     * are delivered from that task, on the loop's thread, in the context of the subscribing code:
     * a subscriber must not block in them. {@code cancel()} stops the pulling: a pull in progress
     * is interrupted by cancelling the task, and {@code source} is closed if it is
     * {@link AutoCloseable} (an {@link AsyncGenerator} is). A second subscriber gets
     * {@code onError(IllegalStateException)}; a request of zero or less gets
     * {@code onError(IllegalArgumentException)} (rule 3.9).
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Flow.Publisher<T> toPublisher(AsyncIterator<T> source) {
        Objects.requireNonNull(source, "source");
        return new IteratorPublisher<>(EventLoop.running(), source);
    }

    /**
     * {@code publisher} read as an async generator: Python's {@code async for} over a reactive
     * stream. Subscribes on the generator's first iteration and requests at most {@code prefetch}
     * items ahead of the consumer (more as the consumer takes them), so a slow consumer slows the
     * publisher down. The generator waits (suspending the task) for items, which may be signalled
     * from any thread; the publisher's {@code onError} exception comes out of the iteration
     * unchanged. Closing the generator, cancelling the iterating task, or dropping the generator
     * cancels the subscription.
     *
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     */
    public static <T> AsyncGenerator<T> fromPublisher(Flow.Publisher<? extends T> publisher, int prefetch) {
        return new AsyncGenerator<>(new PublisherSource<>(publisher, prefetch));
    }

    /** As {@link #fromPublisher(Flow.Publisher, int)} with {@link Flow#defaultBufferSize()} as the prefetch. */
    public static <T> AsyncGenerator<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        return fromPublisher(publisher, Flow.defaultBufferSize());
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
     * Whether {@code obj} is a coroutine: asyncio's {@code iscoroutine}. Java has no separate
     * coroutine object: what asyncio's {@code create_task}, {@code ensure_future} or
     * {@code gather} take as a coroutine is a coroutine function here, so this is the same test
     * as {@link #isCoroutineFunction}.
     */
    public static boolean isCoroutine(Object obj) {
        return isCoroutineFunction(obj);
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
     * <p>Whatever {@code fn} throws comes out of this call unchanged (checked exceptions included,
     * although none is declared).
     *
     * @return what {@code fn} returned
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task, or after the loop's default executor was shut down
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
     * <p>If {@code stage} completes exceptionally, this throws its exception unchanged (checked
     * exceptions included, although none is declared), unwrapped from the
     * {@link CompletionException} that dependent stages add.
     *
     * @return the stage's result
     * @throws CancelledError if the task or the stage is cancelled
     * @throws IllegalStateException if called outside a task
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

    // ---------------------------------------------------------------- structured concurrency and time

    /** The timeout argument meaning "no timeout" inside this block (real timeouts are saturated well above it). */
    static final long NO_TIMEOUT = Long.MIN_VALUE;

    /**
     * A future of the results of {@code futures}, in argument order: asyncio's {@code gather}.
     * Does not suspend; await the returned future. If any child fails (or is cancelled), the
     * returned future fails at once with that child's exception (a {@link CancelledError} for a
     * cancelled child, although the gather future itself is then not cancelled), and the other
     * children keep running. A future given twice is awaited once and its result appears twice.
     *
     * <p><b>Cancellation.</b> Cancelling the returned future cancels every child that is not done
     * (and returns whether any accepted); the future then completes, once all children are done,
     * with {@link CancelledError}. So cancelling a task that awaits a gather cancels the children.
     * To let children survive, {@link #shield} them.
     *
     * <p>With no argument, returns a completed future of an empty list, on the current loop
     * ({@link #getEventLoop()}).
     *
     * @throws NullPointerException if an argument is null, naming its position
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    @SafeVarargs
    @SuppressWarnings("varargs")  // the array is only read
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        Objects.requireNonNull(futures, "futures");
        return gatherAll(futures, "futures", false);
    }

    /**
     * As {@link #gather(Future[])} for coroutines, each started as a task of the current loop
     * ({@link #getEventLoop()}) in argument order: asyncio's {@code gather(coro(), ...)}. The same
     * {@link AsyncCallable} instance given twice runs once, as asyncio runs a coroutine object
     * given twice once.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")  // the array is only read
    public static <T> Future<List<T>> gather(AsyncCallable<? extends T>... coros) {
        Objects.requireNonNull(coros, "coros");
        return gatherAll(coros, "coros", false);
    }

    /** As {@link #gather(Future[])} for a collection of futures: a {@code List<Task<T>>} gives a {@code List<T>}. */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        return gatherAll(futures.toArray(), "futures", false);
    }

    /**
     * asyncio's {@code gather(*aws, return_exceptions=...)} for any mix of awaitables: a
     * {@link Future} is used as it is; an {@link AsyncCallable} or {@link AsyncRunnable} is
     * started as a task and a {@link CompletionStage} wrapped, on the loop of the first future
     * given (else the current loop). With {@code returnExceptions} false this is
     * {@link #gather(Future[])}. With it true no child failure fails the gather: each failed
     * child's exception (a new {@link CancelledError} carrying the cancel message for a cancelled
     * child) takes its place in the list, and the future completes when all children are done.
     * Cancelling the returned future still makes it raise {@link CancelledError}.
     *
     * @throws NullPointerException if an element is null, naming its position
     * @throws IllegalArgumentException for an element of another type, or futures of different loops
     */
    public static Future<List<Object>> gather(Collection<?> aws, boolean returnExceptions) {
        Objects.requireNonNull(aws, "aws");
        return gatherAll(aws.toArray(), "aws", returnExceptions);
    }

    private static <E> Future<List<E>> gatherAll(Object[] aws, String name, boolean returnExceptions) {
        if (aws.length == 0) {
            Future<List<E>> outer = getEventLoop().createFuture();
            outer.setResult(new ArrayList<>());
            return outer;
        }
        EventLoop loop = null;
        Future<?>[] children = new Future<?>[aws.length];
        List<Future<?>> distinct = new ArrayList<>(aws.length);
        // Few arguments are compared pairwise; a map pays off only for many.
        IdentityHashMap<Object, Future<?>> byArgument = aws.length > 8 ? new IdentityHashMap<>(aws.length) : null;
        for (int i = 0; i < aws.length; i++) {
            Future<?> f = alreadyGiven(aws, children, i, byArgument);
            if (f == null) {
                f = futureOn(aws[i], loop, name, i);
                loop = f.loop;
                if (byArgument != null) {
                    byArgument.put(aws[i], f);
                }
                distinct.add(f);
            }
            children[i] = f;
        }
        return GatheringFuture.of(loop, children, distinct, returnExceptions);
    }

    /** The future made for an earlier argument identical to {@code aws[i]}, or null. */
    private static Future<?> alreadyGiven(Object[] aws, Future<?>[] children, int i, IdentityHashMap<Object, Future<?>> byArgument) {
        if (byArgument != null) {
            return byArgument.get(aws[i]);
        }
        for (int j = 0; j < i; j++) {
            if (aws[j] == aws[i]) {
                return children[j];
            }
        }
        return null;
    }

    /** {@code aws[index]} as a future of {@code loop} (null: any loop; new tasks go to the current loop). */
    private static Future<?> futureOn(Object aw, EventLoop loop, String name, int index) {
        if (aw == null) {
            throw new NullPointerException(argumentName(name, index) + " is null");
        }
        if (aw instanceof Future<?> f) {
            requireLoop(f, loop, name, index);
            return f;
        }
        EventLoop target = loop != null ? loop : getEventLoop();
        if (aw instanceof AsyncCallable<?> c) {
            return target.createTask(c);
        }
        if (aw instanceof AsyncRunnable r) {
            return target.createTask(r);
        }
        if (aw instanceof CompletionStage<?> s) {
            return wrapFuture(s, target);
        }
        throw new IllegalArgumentException(argumentName(name, index) + " must be a Future, an AsyncCallable, an "
                + "AsyncRunnable or a CompletionStage, got " + aw.getClass().getName());
    }

    /** Rejects a future of another loop than {@code loop} (null: any), naming it as {@code name[index]}. */
    private static void requireLoop(Future<?> f, EventLoop loop, String name, int index) {
        if (loop != null && f.loop != loop) {
            throw new IllegalArgumentException(argumentName(name, index) + " belongs to a different event loop: " + f);
        }
    }

    /** {@code name[index]}, or {@code name} for a negative index; built only for error messages. */
    private static String argumentName(String name, int index) {
        return index < 0 ? name : name + "[" + index + "]";
    }

    /** The distinct futures of {@code fs} in order, checked to be non-null and of {@code loop}. */
    private static <F extends Future<?>> Set<F> distinctFutures(Collection<? extends F> fs, EventLoop loop, String name) {
        Set<F> set = new LinkedHashSet<>();
        int i = 0;
        for (F f : fs) {
            if (f == null) {
                throw new NullPointerException(argumentName(name, i) + " is null");
            }
            requireLoop(f, loop, name, i);
            set.add(f);
            i++;
        }
        return set;
    }

    /** As {@link #wait(Collection, Duration, ReturnWhen)} with no timeout, returning when all are done. */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs) {
        return waitNanos(fs, NO_TIMEOUT, ReturnWhen.ALL_COMPLETED);
    }

    /** As {@link #wait(Collection, Duration, ReturnWhen)} with no timeout. */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, ReturnWhen returnWhen) {
        return waitNanos(fs, NO_TIMEOUT, returnWhen);
    }

    /**
     * As {@link #wait(Collection, Duration, ReturnWhen)} with a timeout in seconds (zero or less:
     * return after one loop iteration).
     *
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN, or see the Duration form
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, double timeoutSeconds,
            ReturnWhen returnWhen) {
        return waitNanos(fs, EventLoop.secondsToNanos("timeoutSeconds", timeoutSeconds), returnWhen);
    }

    /**
     * Suspends until {@code returnWhen} is met or {@code timeout} (null: none) passes, then returns
     * which of {@code fs} are done and which are pending: asyncio's {@code wait}. Never cancels
     * the futures, on timeout or otherwise, and never raises their exceptions (nor
     * {@link TimeoutError}). Always suspends at least once, even if every future is done.
     * Duplicates count once.
     *
     * <p><b>Cancellation.</b> Cancelling the waiting task raises {@link CancelledError} here and
     * leaves the futures running.
     *
     * @throws IllegalArgumentException if {@code fs} is empty (asyncio's ValueError) or holds a
     *     future of another loop
     * @throws NullPointerException if {@code fs}, an element or {@code returnWhen} is null
     * @throws IllegalStateException if called outside a task
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, Duration timeout,
            ReturnWhen returnWhen) {
        return waitNanos(fs, timeout == null ? NO_TIMEOUT : EventLoop.saturatedNanos(timeout), returnWhen);
    }

    private static <F extends Future<?>> WaitResult<F> waitNanos(Collection<? extends F> fs, long timeoutNanos,
            ReturnWhen returnWhen) {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(returnWhen, "returnWhen");
        if (fs.isEmpty()) {
            throw new IllegalArgumentException("fs must not be empty (Set of Tasks/Futures is empty): " + fs);
        }
        EventLoop loop = EventLoop.running();
        Set<F> futures = distinctFutures(fs, loop, "fs");
        Future<Void> waiter = new Future<>(loop);
        Runnable release = () -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        TimerHandle timer = timeoutNanos == NO_TIMEOUT ? null : loop.callLaterInternal(timeoutNanos, release);
        int[] remaining = {futures.size()};
        Consumer<Future<?>> onCompletion = f -> {
            remaining[0]--;
            if (remaining[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null)) {
                if (timer != null) {
                    timer.cancel();
                }
                release.run();
            }
        };
        Context context = loop.currentContext();
        for (F f : futures) {
            f.addDoneCallback(onCompletion, context);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (F f : futures) {
                f.removeDoneCallback(onCompletion);
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : futures) {
            (f.done() ? done : pending).add(f);
        }
        return new WaitResult<>(Collections.unmodifiableSet(done), Collections.unmodifiableSet(pending));
    }

    /**
     * The futures of {@code fs} in completion order, each once: asyncio's {@code as_completed}.
     * See {@link AsCompleted} for its two forms. Does not suspend. Watches the futures from now on,
     * on the current loop ({@link #getEventLoop()}); duplicates count once.
     *
     * @throws NullPointerException if {@code fs} or an element is null
     * @throws IllegalArgumentException if a future belongs to another loop
     * @throws IllegalStateException if there is no current loop
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs) {
        return asCompletedNanos(fs, NO_TIMEOUT);
    }

    /**
     * As {@link #asCompleted(Collection)} with a deadline {@code timeoutSeconds} from now, after
     * which each remaining wait throws {@link TimeoutError}.
     *
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs, double timeoutSeconds) {
        return asCompletedNanos(fs, EventLoop.secondsToNanos("timeoutSeconds", timeoutSeconds));
    }

    /** As {@link #asCompleted(Collection, double)} with a {@link Duration} (null: no timeout). */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs, Duration timeout) {
        return asCompletedNanos(fs, timeout == null ? NO_TIMEOUT : EventLoop.saturatedNanos(timeout));
    }

    private static <T> AsCompleted<T> asCompletedNanos(Collection<? extends Future<T>> fs, long timeoutNanos) {
        Objects.requireNonNull(fs, "fs");
        EventLoop loop = getEventLoop();
        return new AsCompleted<>(loop, distinctFutures(fs, loop, "fs"), timeoutNanos);
    }

    /**
     * Waits for {@code fut} with a timeout and returns its result: asyncio's {@code wait_for}
     * (3.12 semantics, built on {@link #timeout}). If the timeout passes first, cancels
     * {@code fut}, waits until it is really done, and throws {@link TimeoutError} (whose cause is
     * the cancellation). If {@code fut} handles the cancellation by returning a result, that result
     * is returned instead. With {@code timeoutSeconds <= 0}, a future already done returns its
     * result at once; otherwise it is cancelled and waited for as on expiry.
     *
     * <p><b>Cancellation.</b> Cancelling the waiting task cancels {@code fut} too (as awaiting it
     * does) and raises {@link CancelledError}.
     *
     * <p>If {@code fut} fails, this throws its exception unchanged (checked exceptions included,
     * although none is declared).
     *
     * @return the result of {@code fut}
     * @throws TimeoutError if the timeout passed
     * @throws CancelledError if the waiting task was cancelled, or {@code fut} was cancelled by others
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN, or {@code fut} belongs to another loop
     * @throws IllegalStateException if called outside a task
     */
    public static <T> T waitFor(Future<T> fut, double timeoutSeconds) {
        return waitForFuture(fut, EventLoop.secondsToNanos("timeoutSeconds", timeoutSeconds));
    }

    /** As {@link #waitFor(Future, double)} with a {@link Duration}; null waits without a timeout. */
    public static <T> T waitFor(Future<T> fut, Duration timeout) {
        return waitForFuture(fut, timeout == null ? NO_TIMEOUT : EventLoop.saturatedNanos(timeout));
    }

    /**
     * As {@link #waitFor(Future, double)} for a coroutine. With a positive timeout (or none) the
     * coroutine runs inline in the current task, as {@code await coro()} does, and the expiry
     * cancels the current task's wait inside it. With {@code timeoutSeconds <= 0} it is made a
     * task that is cancelled before it starts (unless an eager task factory finishes it at once).
     */
    public static <T> T waitFor(AsyncCallable<T> coro, double timeoutSeconds) {
        return waitForCoroutine(coro, EventLoop.secondsToNanos("timeoutSeconds", timeoutSeconds));
    }

    /** As {@link #waitFor(AsyncCallable, double)} with a {@link Duration}; null waits without a timeout. */
    public static <T> T waitFor(AsyncCallable<T> coro, Duration timeout) {
        return waitForCoroutine(coro, timeout == null ? NO_TIMEOUT : EventLoop.saturatedNanos(timeout));
    }

    /** As {@link #waitFor(AsyncCallable, double)} for a coroutine without a result. */
    public static void waitFor(AsyncRunnable coro, double timeoutSeconds) {
        Objects.requireNonNull(coro, "coro");
        waitFor(coro.asCallable(), timeoutSeconds);
    }

    /** As {@link #waitFor(AsyncCallable, Duration)} for a coroutine without a result. */
    public static void waitFor(AsyncRunnable coro, Duration timeout) {
        Objects.requireNonNull(coro, "coro");
        waitFor(coro.asCallable(), timeout);
    }

    private static <T> T waitForFuture(Future<T> fut, long timeoutNanos) {
        Objects.requireNonNull(fut, "fut");
        EventLoop loop = EventLoop.running();
        requireLoop(fut, loop, "fut", -1);
        if (timeoutNanos == NO_TIMEOUT) {
            return fut.await();
        }
        if (timeoutNanos <= 0) {
            return expireNow(fut);
        }
        return new Timeout(loop.timeNanos() + timeoutNanos).run(fut::await);
    }

    private static <T> T waitForCoroutine(AsyncCallable<T> coro, long timeoutNanos) {
        Objects.requireNonNull(coro, "coro");
        EventLoop loop = EventLoop.running();
        if (timeoutNanos == NO_TIMEOUT) {
            return new Timeout((Double) null).run(coro);
        }
        if (timeoutNanos <= 0) {
            return expireNow(loop.createTask(coro));
        }
        return new Timeout(loop.timeNanos() + timeoutNanos).run(coro);
    }

    /** wait_for with a timeout already passed: a done future keeps its outcome, others are cancelled. */
    private static <T> T expireNow(Future<T> fut) {
        if (fut.done()) {
            return fut.result();
        }
        cancelAndWait(fut);
        try {
            return fut.result();
        } catch (CancelledError e) {
            TimeoutError timeout = new TimeoutError();
            timeout.initCause(e);
            throw timeout;
        }
    }

    /** Cancels {@code fut} and waits for it without awaiting it, so this wait stays cancellable. */
    private static void cancelAndWait(Future<?> fut) {
        EventLoop loop = fut.loop;
        Future<Void> waiter = new Future<>(loop);
        Consumer<Future<?>> release = f -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        fut.addDoneCallback(release, loop.currentContext());
        try {
            fut.cancel();
            waiter.await();
        } finally {
            fut.removeDoneCallback(release);
        }
    }

    /**
     * A {@link Timeout} due {@code delaySeconds} of loop time from now (zero or less: at once):
     * asyncio's {@code timeout(delay)}. Apply it with {@link Timeout#run(AsyncCallable)}, or use
     * {@link #timeout(double, AsyncCallable)}. Does not suspend.
     *
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException if no loop is running
     */
    public static Timeout timeout(double delaySeconds) {
        EventLoop loop = EventLoop.running();
        return new Timeout(loop.timeNanos() + EventLoop.secondsToNanos("delaySeconds", delaySeconds));
    }

    /** As {@link #timeout(double)} with a {@link Duration}; null makes a timeout that never expires. */
    public static Timeout timeout(Duration delay) {
        EventLoop loop = EventLoop.running();
        return delay == null ? new Timeout((Double) null) : new Timeout(loop.timeNanos() + EventLoop.saturatedNanos(delay));
    }

    /**
     * A {@link Timeout} due at loop time {@code when} seconds (compare {@link EventLoop#time()}),
     * or never when null: asyncio's {@code timeout_at(when)}. Does not suspend.
     *
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public static Timeout timeoutAt(Double when) {
        return new Timeout(when);
    }

    /**
     * Runs {@code body} in the current task under a deadline {@code delaySeconds} from now:
     * asyncio's {@code async with timeout(delay): ...}. Same as
     * {@code timeout(delaySeconds).run(body)}; see {@link Timeout#run(AsyncCallable)}. Suspends
     * whenever {@code body} does; other exceptions of {@code body} come out unchanged.
     *
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline passed and cancelled the body
     * @throws CancelledError if the task was cancelled for another reason (from outside, or by an
     *     outer timeout)
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException if called outside a task
     */
    public static <T> T timeout(double delaySeconds, AsyncCallable<T> body) {
        return timeout(delaySeconds).run(body);
    }

    /** As {@link #timeout(double, AsyncCallable)} for a body without a result. */
    public static void timeout(double delaySeconds, AsyncRunnable body) {
        timeout(delaySeconds).run(body);
    }

    /** As {@link #timeout(double, AsyncCallable)} with a {@link Duration} (null: no deadline). */
    public static <T> T timeout(Duration delay, AsyncCallable<T> body) {
        return timeout(delay).run(body);
    }

    /** As {@link #timeout(Duration, AsyncCallable)} for a body without a result. */
    public static void timeout(Duration delay, AsyncRunnable body) {
        timeout(delay).run(body);
    }

    /** As {@link #timeout(double, AsyncCallable)} with a deadline at loop time {@code when} (null: none). */
    public static <T> T timeoutAt(Double when, AsyncCallable<T> body) {
        return timeoutAt(when).run(body);
    }

    /** As {@link #timeoutAt(Double, AsyncCallable)} for a body without a result. */
    public static void timeoutAt(Double when, AsyncRunnable body) {
        timeoutAt(when).run(body);
    }

    /**
     * A future that follows {@code inner} but whose cancellation does not reach it: asyncio's
     * {@code shield}. Returns {@code inner} itself if it is already done. Cancelling the returned
     * future (for instance by cancelling the task awaiting it) cancels only the returned future;
     * {@code inner} keeps running and its outcome stays available from {@code inner}:
     *
     * <pre>{@code
     * try {
     *     result = Asyncio.shield(task).await();
     * } catch (CancelledError e) {
     *     result = task.await();   // the task was not cancelled
     * }
     * }</pre>
     *
     * If {@code inner} is cancelled (by others), the returned future is cancelled too. Does not suspend.
     */
    public static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "inner");
        if (inner.done()) {
            return inner;
        }
        EventLoop loop = inner.loop;
        Future<T> outer = new Future<>(loop);
        Consumer<Future<T>> innerDone = f -> {
            if (outer.cancelled()) {
                if (!f.cancelled()) {
                    f.exception();  // the outcome has no taker: mark it retrieved
                }
            } else if (f.cancelled()) {
                outer.cancel();
            } else if (f.exception() != null) {
                outer.setAnyException(f.exception());
            } else {
                outer.setResult(f.result());
            }
        };
        Context context = loop.currentContext();
        inner.addDoneCallback(innerDone, context);
        outer.addDoneCallback(f -> {
            if (!inner.done()) {
                inner.removeDoneCallback(innerDone);
            }
        }, context);
        return outer;
    }

    /** As {@link #shield(Future)} for a coroutine, first started as a task of the current loop. */
    public static <T> Future<T> shield(AsyncCallable<T> coro) {
        Objects.requireNonNull(coro, "coro");
        return shield(getEventLoop().createTask(coro));
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

    /**
     * Connects to the Unix-domain socket at {@code path} and returns the reader and writer:
     * asyncio's {@code open_unix_connection}. Suspends the current task until connected; the
     * reader has the default limit (64 KiB).
     *
     * @throws IOException naming the path if the connection cannot be made
     * @throws CancelledError if the task is cancelled; nothing stays open
     * @throws IllegalStateException if called outside a task
     */
    public static StreamConnection openUnixConnection(Path path) throws IOException {
        return Streams.openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #openUnixConnection(Path)} with the reader's {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
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
     * @throws CancelledError if the task is cancelled while the host is resolved or during that
     *     loop iteration; nothing stays open (asyncio leaves such a server serving, unreachable)
     * @throws IllegalStateException if called outside a task; nothing is bound then
     */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port)
            throws IOException {
        return Streams.startServer(clientConnected, java.util.Collections.singletonList(host), port,
                StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /**
     * As {@link #startServer(ClientConnectedCallback, String, int)} with the readers' {@code limit}
     * and server options (with {@code startServing} false the server does not accept yet and the
     * task is not suspended).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port, int limit,
            ServerOptions options) throws IOException {
        return Streams.startServer(clientConnected, java.util.Collections.singletonList(host), port, limit, options);
    }

    /** As {@link #startServer(ClientConnectedCallback, String, int)} listening on several hosts. */
    public static Server startServer(ClientConnectedCallback clientConnected, List<String> hosts, int port, int limit,
            ServerOptions options) throws IOException {
        return Streams.startServer(clientConnected, hosts, port, limit, options);
    }

    /**
     * Starts a Unix-domain socket server at {@code path} that runs {@code clientConnected} as a new
     * task for each client: asyncio's {@code start_unix_server}. Listens as
     * {@link EventLoop#createUnixServer(java.util.function.Supplier, Path)}; suspends the task for
     * one loop iteration so the server accepts when this returns.
     *
     * @throws java.net.BindException if the address is in use
     * @throws CancelledError if the task is cancelled during that loop iteration; the server is
     *     then closed (asyncio leaves it serving, unreachable)
     * @throws IllegalStateException if called outside a task; nothing is bound then
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path) throws IOException {
        return Streams.startUnixServer(clientConnected, path, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /**
     * As {@link #startUnixServer(ClientConnectedCallback, Path)} with the readers' {@code limit}
     * and server options.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive, or {@code options} sets
     *     what does not apply to Unix sockets
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path, int limit,
            ServerOptions options) throws IOException {
        return Streams.startUnixServer(clientConnected, path, limit, options);
    }

    // ---------------------------------------------------------------- subprocesses

    /**
     * Runs {@code program} with {@code args} as a child process sharing this process's stdin,
     * stdout and stderr: asyncio's {@code create_subprocess_exec(program, *args)}. See
     * {@link #createSubprocessExec(List, SubprocessOptions)}, which says when it suspends and what
     * it throws.
     */
    public static Subprocess createSubprocessExec(String program, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(args.length + 1);
        command.add(program);
        command.addAll(List.of(args));
        return Subprocesses.createExec(command, SubprocessOptions.DEFAULT);
    }

    /**
     * Runs {@code args} (the program and its arguments, without a shell) as a child process:
     * asyncio's {@code create_subprocess_exec(program, *args, stdin=..., stdout=..., ...)}. The
     * options say where each standard stream goes ({@link io.jasyncio.subprocess.Stdio#PIPE} gives
     * the {@link Subprocess} a stream to it), the working directory, the environment and the
     * readers' limit. Starts the child, then suspends the task until its streams are connected.
     *
     * @throws IOException if the program cannot be started (not found, not executable, bad
     *     working directory)
     * @throws IllegalArgumentException if {@code args} is empty or a redirect does not suit its stream
     * @throws CancelledError if the task is cancelled while waiting; the child is killed
     * @throws IllegalStateException if called outside a task
     */
    public static Subprocess createSubprocessExec(List<String> args, SubprocessOptions options) throws IOException {
        return Subprocesses.createExec(args, options);
    }

    /**
     * Runs {@code cmd} with {@code /bin/sh -c}, sharing this process's streams: asyncio's
     * {@code create_subprocess_shell(cmd)}. See {@link #createSubprocessShell(String, SubprocessOptions)}.
     */
    public static Subprocess createSubprocessShell(String cmd) throws IOException {
        return Subprocesses.createShell(cmd, SubprocessOptions.DEFAULT);
    }

    /**
     * Runs {@code cmd} with {@code /bin/sh -c}: asyncio's {@code create_subprocess_shell(cmd, ...)}.
     * As {@link #createSubprocessExec(List, SubprocessOptions)} otherwise. The shell interprets the
     * whole string: quote what comes from users.
     */
    public static Subprocess createSubprocessShell(String cmd, SubprocessOptions options) throws IOException {
        return Subprocesses.createShell(cmd, options);
    }

    // ---------------------------------------------------------------- datagrams

    /**
     * Opens a UDP endpoint for use from tasks, a jasyncio addition: a {@link DatagramStream} whose
     * {@code recv()} and {@code send()} suspend the task. Either address may be null, not both: a
     * {@code localAddr} to bind (a server), a {@code remoteAddr} to connect to (a client). As
     * {@link #openDatagramEndpoint(DatagramOptions)}.
     */
    public static DatagramStream openDatagramEndpoint(InetSocketAddress localAddr, InetSocketAddress remoteAddr)
            throws IOException {
        return Datagrams.openDatagramEndpoint(DatagramOptions.DEFAULT.withLocalAddr(localAddr).withRemoteAddr(remoteAddr),
                DatagramStream.DEFAULT_MAX_QUEUED);
    }

    /**
     * Opens a UDP endpoint for use from tasks, a jasyncio addition (asyncio has streams for TCP
     * only): {@link EventLoop#createDatagramEndpoint(java.util.function.Supplier, DatagramOptions)}
     * with a {@link DatagramStream} as the protocol, which is returned. Suspends the task as that
     * method does; the stream holds at most {@link DatagramStream#DEFAULT_MAX_QUEUED} received datagrams.
     *
     * @throws IOException naming the address if the endpoint cannot be opened
     * @throws CancelledError if the task is cancelled; nothing stays open
     * @throws IllegalStateException if called outside a task
     */
    public static DatagramStream openDatagramEndpoint(DatagramOptions options) throws IOException {
        return Datagrams.openDatagramEndpoint(options, DatagramStream.DEFAULT_MAX_QUEUED);
    }

    /**
     * As {@link #openDatagramEndpoint(DatagramOptions)} with a stream holding at most
     * {@code maxQueued} received datagrams.
     *
     * @throws IllegalArgumentException if {@code maxQueued} is not positive
     */
    public static DatagramStream openDatagramEndpoint(DatagramOptions options, int maxQueued) throws IOException {
        return Datagrams.openDatagramEndpoint(options, maxQueued);
    }

    // ---------------------------------------------------------------- TLS streams
    // asyncio's open_connection/start_server with ssl=; the TLS layer lives in io.jasyncio.internal.net.

    /**
     * Opens a TLS connection and returns its reader and writer: asyncio's
     * {@code open_connection(host, port, ssl=...)}. Suspends through the TCP connection and the
     * handshake, as {@link EventLoop#createConnection(java.util.function.Supplier, String, int, io.jasyncio.net.TlsOptions)};
     * the streams then carry plaintext. {@code io.jasyncio.net.TlsOptions.DEFAULT} verifies the
     * server against the JDK's CA certificates and {@code host}.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (untrusted certificate,
     *     wrong host name, no common protocol)
     * @throws java.net.SocketTimeoutException if the handshake takes longer than its timeout
     * @throws IOException naming the address if the connection cannot be made
     * @throws CancelledError if the task is cancelled; nothing stays open
     */
    public static StreamConnection openConnection(String host, int port, io.jasyncio.net.TlsOptions ssl)
            throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.openConnection(host, port, StreamReader.DEFAULT_LIMIT,
                ConnectOptions.DEFAULT, ssl);
    }

    /** As {@link #openConnection(String, int, io.jasyncio.net.TlsOptions)} with the reader's {@code limit} and connection options. */
    public static StreamConnection openConnection(String host, int port, int limit, ConnectOptions options,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.openConnection(host, port, limit, options, ssl);
    }

    /**
     * TLS over a Unix-domain socket: asyncio's {@code open_unix_connection(path, ssl=...,
     * server_hostname=...)}. Suspends through the connection and the handshake, and fails, as
     * {@link #openConnection(String, int, io.jasyncio.net.TlsOptions)}; {@code ssl} must name the
     * server host name to check.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive or {@code ssl} names no
     *     server host name
     */
    public static StreamConnection openUnixConnection(Path path, int limit, io.jasyncio.net.TlsOptions ssl)
            throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.openUnixConnection(path, limit, ssl);
    }

    /**
     * Starts a TLS server that runs {@code clientConnected} for each client once its handshake
     * succeeded: asyncio's {@code start_server(..., ssl=...)}. {@code ssl} must hold the server's
     * context. Suspends the task for one loop iteration, as
     * {@link #startServer(ClientConnectedCallback, String, int)}.
     *
     * @throws IllegalArgumentException if {@code ssl} has no context
     * @throws IOException if the address cannot be bound
     * @throws CancelledError as {@link #startServer(ClientConnectedCallback, String, int)}
     * @throws IllegalStateException if called outside a task
     */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startServer(clientConnected, java.util.Collections.singletonList(host),
                port, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT, ssl);
    }

    /** As {@link #startServer(ClientConnectedCallback, String, int, io.jasyncio.net.TlsOptions)} with the readers' {@code limit} and server options. */
    public static Server startServer(ClientConnectedCallback clientConnected, String host, int port, int limit,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startServer(clientConnected, java.util.Collections.singletonList(host),
                port, limit, options, ssl);
    }

    /** As {@link #startServer(ClientConnectedCallback, String, int, io.jasyncio.net.TlsOptions)} listening on several hosts. */
    public static Server startServer(ClientConnectedCallback clientConnected, List<String> hosts, int port, int limit,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startServer(clientConnected, hosts, port, limit, options, ssl);
    }

    /**
     * A TLS server on a Unix-domain socket: asyncio's {@code start_unix_server(..., ssl=...)}.
     * Suspends, and fails, as {@link #startUnixServer(ClientConnectedCallback, Path)}; each client
     * is handled once its handshake succeeded.
     *
     * @throws IllegalArgumentException if {@code ssl} has no context
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path, int limit,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startUnixServer(clientConnected, path, limit, options, ssl);
    }

    // ---------------------------------------------------------------- streams over existing sockets
    // asyncio's open_connection(sock=...), start_server(sock=...) and their Unix variants: overloads
    // taking the socket where the others take the host and port (or the path).

    /**
     * Opens a stream connection over the connected socket {@code sock}, TCP or Unix: asyncio's
     * {@code open_connection(sock=sock)}. The connection owns the socket from then on (closing the
     * writer closes it). Suspends the current task until the transport is ready; the reader has
     * the default limit (64 KiB).
     *
     * @throws IllegalArgumentException if {@code sock} is not connected (or is closed); the caller
     *     keeps the socket
     * @throws CancelledError if the task is cancelled; the socket is closed
     * @throws IllegalStateException if called outside a task; the caller keeps the socket
     */
    public static StreamConnection openConnection(java.nio.channels.SocketChannel sock) throws IOException {
        return Streams.openConnection(sock, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #openConnection(java.nio.channels.SocketChannel)} with the reader's {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive, or {@code sock} is not connected
     */
    public static StreamConnection openConnection(java.nio.channels.SocketChannel sock, int limit) throws IOException {
        return Streams.openConnection(sock, limit);
    }

    /**
     * As {@link #openConnection(java.nio.channels.SocketChannel, int)}, over TLS: asyncio's
     * {@code open_connection(sock=sock, ssl=..., server_hostname=...)}. Suspends through the
     * handshake. There is no host to check the certificate against, so {@code ssl} names it
     * ({@code withServerHostname}) or turns the check off.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails
     * @throws IllegalArgumentException if {@code ssl} names no server host name, {@code limit} is
     *     not positive, or {@code sock} is not connected
     * @throws CancelledError if the task is cancelled; the connection is aborted
     */
    public static StreamConnection openConnection(java.nio.channels.SocketChannel sock, int limit,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.openConnection(sock, limit, ssl);
    }

    /**
     * Opens a stream connection over the connected Unix-domain socket {@code sock}: asyncio's
     * {@code open_unix_connection(sock=sock)}. As {@link #openConnection(java.nio.channels.SocketChannel)}
     * for a Unix socket only.
     *
     * @throws IllegalArgumentException if {@code sock} is not connected or not a Unix-domain socket;
     *     the caller keeps the socket
     */
    public static StreamConnection openUnixConnection(java.nio.channels.SocketChannel sock) throws IOException {
        return Streams.openUnixConnection(sock, StreamReader.DEFAULT_LIMIT);
    }

    /** As {@link #openUnixConnection(java.nio.channels.SocketChannel)} with the reader's {@code limit}. */
    public static StreamConnection openUnixConnection(java.nio.channels.SocketChannel sock, int limit)
            throws IOException {
        return Streams.openUnixConnection(sock, limit);
    }

    /**
     * As {@link #openUnixConnection(java.nio.channels.SocketChannel, int)}, over TLS: asyncio's
     * {@code open_unix_connection(sock=sock, ssl=..., server_hostname=...)}; see
     * {@link #openConnection(java.nio.channels.SocketChannel, int, io.jasyncio.net.TlsOptions)}.
     */
    public static StreamConnection openUnixConnection(java.nio.channels.SocketChannel sock, int limit,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.openUnixConnection(sock, limit, ssl);
    }

    /**
     * Starts a stream server on the existing server socket {@code sock}: asyncio's
     * {@code start_server(client_connected_cb, sock=sock)}. The server owns the socket from then
     * on; a socket that is not bound yet is bound to a free port. Runs {@code clientConnected} as a
     * new task for each client, as {@link #startServer(ClientConnectedCallback, String, int)}, and
     * suspends the task for one loop iteration so the server accepts when this returns.
     *
     * @throws CancelledError if the task is cancelled during that loop iteration; the server, and
     *     with it {@code sock}, is then closed
     * @throws IllegalStateException if called outside a task; the caller keeps {@code sock} then
     */
    public static Server startServer(ClientConnectedCallback clientConnected, java.nio.channels.ServerSocketChannel sock)
            throws IOException {
        return Streams.startServer(clientConnected, sock, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /**
     * As {@link #startServer(ClientConnectedCallback, java.nio.channels.ServerSocketChannel)} with the
     * readers' {@code limit} and server options ({@code backlog} for an unbound socket,
     * {@code keepAlive}, {@code startServing}).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Server startServer(ClientConnectedCallback clientConnected, java.nio.channels.ServerSocketChannel sock,
            int limit, ServerOptions options) throws IOException {
        return Streams.startServer(clientConnected, sock, limit, options);
    }

    /**
     * As {@link #startServer(ClientConnectedCallback, java.nio.channels.ServerSocketChannel, int, ServerOptions)},
     * over TLS: asyncio's {@code start_server(client_connected_cb, sock=sock, ssl=...)}. Each
     * client's callback starts once its handshake succeeded.
     *
     * @throws IllegalArgumentException if {@code ssl} has no context
     */
    public static Server startServer(ClientConnectedCallback clientConnected, java.nio.channels.ServerSocketChannel sock,
            int limit, ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startServer(clientConnected, sock, limit, options, ssl);
    }

    /**
     * Starts a stream server on the existing Unix-domain server socket {@code sock}: asyncio's
     * {@code start_unix_server(client_connected_cb, sock=sock)}. As
     * {@link #startServer(ClientConnectedCallback, java.nio.channels.ServerSocketChannel)}; closing
     * the server removes the socket's file, as for {@link #startUnixServer(ClientConnectedCallback, Path)}.
     *
     * @throws IllegalArgumentException if {@code sock} is not a bound Unix-domain socket
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected,
            java.nio.channels.ServerSocketChannel sock) throws IOException {
        return Streams.startUnixServer(clientConnected, sock, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT);
    }

    /**
     * As {@link #startUnixServer(ClientConnectedCallback, java.nio.channels.ServerSocketChannel)} with
     * the readers' {@code limit} and server options.
     *
     * @throws IllegalArgumentException also if {@code options} sets family, reuseAddress, reusePort
     *     or keepAlive, which do not apply to Unix sockets
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected,
            java.nio.channels.ServerSocketChannel sock, int limit, ServerOptions options) throws IOException {
        return Streams.startUnixServer(clientConnected, sock, limit, options);
    }

    /**
     * As {@link #startUnixServer(ClientConnectedCallback, java.nio.channels.ServerSocketChannel, int, ServerOptions)},
     * over TLS: asyncio's {@code start_unix_server(client_connected_cb, sock=sock, ssl=...)}.
     *
     * @throws IllegalArgumentException if {@code ssl} has no context
     */
    public static Server startUnixServer(ClientConnectedCallback clientConnected,
            java.nio.channels.ServerSocketChannel sock, int limit, ServerOptions options, io.jasyncio.net.TlsOptions ssl)
            throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startUnixServer(clientConnected, sock, limit, options, ssl);
    }
}
