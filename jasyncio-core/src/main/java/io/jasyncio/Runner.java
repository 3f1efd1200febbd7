package io.jasyncio;

import io.jasyncio.internal.signal.SignalRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs coroutines on one loop that it creates and closes: asyncio's {@code Runner} (3.11). Several
 * {@link #run} calls share the loop and a context; {@link #close()} cancels the tasks still
 * pending, waits for them, closes unfinished async generators, shuts down the default executor
 * and closes the loop.
 *
 * <pre>{@code
 * try (var runner = new Runner()) {
 *     runner.run(() -> setUp());
 *     runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use a runner from one thread.
 */
public final class Runner implements AutoCloseable {
    /** How long {@link #close()} waits for the default executor's threads (asyncio's THREAD_JOIN_TIMEOUT). */
    static final Duration EXECUTOR_JOIN_TIMEOUT = Duration.ofSeconds(300);

    private enum State { CREATED, INITIALIZED, CLOSED }

    private final Supplier<EventLoop> loopFactory;
    private final Boolean debug;
    private State state = State.CREATED;
    private EventLoop loop;
    private Context context;

    /** A runner on a new real-clock loop, with the loop's default debug setting. */
    public Runner() {
        this(null, null);
    }

    /**
     * A runner whose loop comes from {@code loopFactory} (null: {@link EventLoop#newEventLoop()}),
     * with debug mode forced on or off ({@code debug} null: the loop's default).
     */
    public Runner(Supplier<EventLoop> loopFactory, Boolean debug) {
        this.loopFactory = loopFactory;
        this.debug = debug;
    }

    /**
     * Runs {@code main} as a task on the runner's loop until it is done, and returns its result.
     * On the JVM's main thread, Ctrl-C (SIGINT) cancels {@code main}, which then ends with
     * {@link KeyboardInterrupt}; a second Ctrl-C stops the JVM as usual. Whatever {@code main}
     * throws comes out unchanged (checked exceptions included, although none is declared).
     *
     * @return what {@code main} returned
     * @throws KeyboardInterrupt if Ctrl-C cancelled {@code main} and it ended cancelled
     * @throws CancelledError if {@code main} was cancelled otherwise
     * @throws IllegalStateException if a loop is already running on this thread or the runner is closed
     */
    public <T> T run(AsyncCallable<T> main) {
        return run(main, null);
    }

    /** As {@link #run(AsyncCallable)}, running {@code main} in {@code context} (null: the runner's). */
    public <T> T run(AsyncCallable<T> main, Context context) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
        }
        lazyInit();
        Task<T> task = loop.createTask(main, new TaskOptions(null, context != null ? context : this.context, null));
        SigintCanceller sigint = SigintCanceller.installOnMainThread(loop, task);
        try {
            return loop.runUntilComplete(task);
        } catch (CancelledError e) {
            if (sigint != null && sigint.interrupted() && task.uncancel() == 0) {
                throw new KeyboardInterrupt();
            }
            throw e;
        } finally {
            if (sigint != null) {
                sigint.close();
            }
        }
    }

    /** The runner's loop, created on first use. */
    public EventLoop getLoop() {
        lazyInit();
        return loop;
    }

    /**
     * Cancels the loop's pending tasks and waits for them, reports those that failed while
     * cancelled, closes the async generators left unfinished ({@link EventLoop#shutdownAsyncgens()}),
     * shuts down the default executor, and closes the loop. Blocks the calling thread while it runs
     * the loop for that (up to 300 seconds for the executor's jobs). Idempotent.
     *
     * @throws IllegalStateException if called while a loop runs on this thread; as in asyncio, the
     *     runner's loop is then closed without the cleanup (or, if it is the running loop, left open)
     */
    @Override
    public void close() {
        if (state != State.INITIALIZED) {
            state = State.CLOSED;
            return;
        }
        try {
            cancelAllTasks(loop);
            loop.runUntilComplete(() -> {
                loop.shutdownAsyncgens();
                return null;
            });
            loop.runUntilComplete(() -> {
                loop.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT);
                return null;
            });
        } finally {
            Asyncio.clearEventLoop(loop);
            loop.close();
            loop = null;
            state = State.CLOSED;
        }
    }

    private void lazyInit() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Runner is closed");
        }
        if (state == State.INITIALIZED) {
            return;
        }
        loop = loopFactory != null ? loopFactory.get() : EventLoop.newEventLoop();
        if (loop == null) {
            throw new IllegalStateException("loopFactory returned null");
        }
        if (loopFactory == null) {
            Asyncio.setEventLoop(loop);
        }
        if (debug != null) {
            loop.setDebug(debug);
        }
        context = new Context();
        state = State.INITIALIZED;
    }

    /**
     * asyncio 3.11's Ctrl-C handling: on the JVM's main thread, unless SIGINT already has a
     * jasyncio handler, the first SIGINT cancels the main task so its cleanup runs; a second one
     * goes to the JVM's own handler, which shuts the JVM down.
     */
    private static final class SigintCanceller implements AutoCloseable {
        private final EventLoop loop;
        private final Task<?> task;
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        private SigintCanceller(EventLoop loop, Task<?> task) {
            this.loop = loop;
            this.task = task;
        }

        static SigintCanceller installOnMainThread(EventLoop loop, Task<?> task) {
            if (!Thread.currentThread().getName().equals("main") || SignalRegistry.isHandled("INT")) {
                return null;
            }
            SigintCanceller c = new SigintCanceller(loop, task);
            SignalRegistry.install("INT", c, signal -> c.onSigint());
            return c;
        }

        /** Runs on the JVM's signal thread. */
        private void onSigint() {
            if (count.incrementAndGet() == 1 && !task.done()) {
                try {
                    loop.callSoonThreadsafe(task::cancel);
                    return;
                } catch (IllegalStateException loopClosed) {
                    // Too late to cancel anything: act as a second Ctrl-C.
                }
            }
            SignalRegistry.reraise("INT", this);
        }

        boolean interrupted() {
            return count.get() > 0;
        }

        @Override
        public void close() {
            SignalRegistry.remove("INT", this);
        }
    }

    /** asyncio's {@code _cancel_all_tasks}: cancel, wait for all, report the ones that failed. */
    static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> toCancel = loop.pendingTasks();
        if (toCancel.isEmpty()) {
            return;
        }
        for (Task<?> t : toCancel) {
            t.cancel();
        }
        loop.runUntilComplete(() -> {
            for (Task<?> t : toCancel) {
                if (!t.done()) {
                    Future<?> done = new Future<>(loop);
                    t.addDoneCallback(f -> done.setResult(null));
                    done.await();
                }
            }
            return null;
        });
        for (Task<?> t : toCancel) {
            if (!t.cancelled() && t.exception() != null) {
                Map<String, Object> context = new HashMap<>();
                context.put("message", "unhandled exception during asyncio.run() shutdown");
                context.put("exception", t.exception());
                context.put("task", t);
                loop.callExceptionHandler(context);
            }
        }
    }
}
