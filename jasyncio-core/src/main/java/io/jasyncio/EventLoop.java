package io.jasyncio;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.coro.CoroutineBackend;
import io.jasyncio.internal.net.Datagrams;
import io.jasyncio.internal.net.Endpoints;
import io.jasyncio.internal.net.Resolver;
import io.jasyncio.internal.net.SocketOps;
import io.jasyncio.internal.signal.SignalRegistry;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Datagram;
import io.jasyncio.net.DatagramEndpoint;
import io.jasyncio.net.DatagramOptions;
import io.jasyncio.net.DatagramProtocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.internal.subprocess.ProcessRegistry;
import io.jasyncio.internal.subprocess.Subprocesses;
import io.jasyncio.subprocess.SubprocessConnection;
import io.jasyncio.subprocess.SubprocessOptions;
import io.jasyncio.subprocess.SubprocessProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An event loop: asyncio's {@code AbstractEventLoop}, one per thread. It owns a ready queue of
 * callbacks, a heap of timers, a {@link Selector} for sockets, and a thread-safe inbox. Each
 * iteration polls I/O (blocking only when nothing is ready), moves due timers to the ready queue,
 * and runs the callbacks that were ready when the iteration began; callbacks scheduled meanwhile
 * run in the next iteration. Tasks are callbacks that resume a suspended coroutine.
 *
 * <p><b>Threads.</b> While the loop runs, only its own thread (and the tasks it runs) may call
 * its methods; other threads use {@link #callSoonThreadsafe} and get an
 * {@link IllegalStateException} otherwise. Before it runs, any single thread may schedule work.
 *
 * <p><b>Time.</b> {@link #time()} reads the loop's {@link LoopClock}: the real monotonic clock,
 * or a {@link VirtualClock} for tests.
 */
public class EventLoop implements AutoCloseable {
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final VarHandle WAKEUP_ARMED;

    static {
        try {
            WAKEUP_ARMED = MethodHandles.lookup().findVarHandle(EventLoop.class, "wakeupArmed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CoroutineBackend backend = Backends.selected();
    private final LoopClock clock;
    private final VirtualClock virtualClock;
    private final ArrayDeque<Ready> ready = new ArrayDeque<>(256);
    private final TimerHeap timers = new TimerHeap();
    private long timerSequence;
    private final ConcurrentLinkedQueue<Handle> inbox = new ConcurrentLinkedQueue<>();
    /** False while the loop may block in select: a producer that flips it calls selector.wakeup(). */
    @SuppressWarnings("unused")
    private volatile boolean wakeupArmed;
    private final Selector selector;
    private final Consumer<SelectionKey> queueReady = this::queueKey;
    private int ioRegistrations;
    /** Jobs running on other threads for this loop; the virtual clock waits for them in real time. */
    private final AtomicInteger externalWork = new AtomicInteger();

    private volatile Thread owner;
    private boolean stopping;
    /** The loop's thread was interrupted while waiting: the loop stops and restores the flag. */
    private boolean interrupted;
    private volatile boolean closed;
    volatile boolean debug;
    private long slowCallbackNanos = 100_000_000L;
    /** Reports callbacks that block the loop, in debug mode; created on first use. */
    private BlockingWatchdog.Watch blockingWatch;

    Task<?> currentTask;
    private Context currentContext = new Context();
    final TaskRegistry tasks = new TaskRegistry();
    private long taskIds;
    private TaskFactory taskFactory;
    private ExceptionHandler exceptionHandler;
    private Executor defaultExecutor;
    private boolean executorShutdownCalled;
    private boolean signalHandlersInstalled;
    /** The async generators first iterated on this loop and not yet finished (asyncio's asyncgen hooks). */
    final AsyncGenRegistry asyncgens = new AsyncGenRegistry(this);

    /** Creates a loop on the real clock; see {@link #newEventLoop()}. */
    public EventLoop() {
        this(LoopClock.system());
    }

    /** Creates a loop reading time from {@code clock}. */
    public EventLoop(LoopClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the loop's selector", e);
        }
        this.debug = Boolean.getBoolean("jasyncio.debug");
    }

    /** A new loop on the real clock: asyncio's {@code new_event_loop()}. */
    public static EventLoop newEventLoop() {
        return new EventLoop();
    }

    /** A new loop on {@code clock}, e.g. a {@link VirtualClock} for tests. */
    public static EventLoop newEventLoop(LoopClock clock) {
        return new EventLoop(clock);
    }

    /**
     * The loop running on this thread (or running the current task).
     *
     * @throws IllegalStateException if none is (asyncio's RuntimeError "no running event loop")
     */
    public static EventLoop running() {
        EventLoop loop = RUNNING.get();
        if (loop == null) {
            throw new IllegalStateException("no running event loop");
        }
        return loop;
    }

    /** The running loop of this thread, or null. */
    static EventLoop runningOrNull() {
        return RUNNING.get();
    }

    /** The name of the coroutine backend tasks of this loop run on: {@code continuation} or {@code virtual}. */
    public String backendName() {
        return backend.name();
    }

    // ---------------------------------------------------------------- time

    /** The loop's current time in seconds, on its monotonic clock. */
    public double time() {
        return clock.nanoTime() / 1e9;
    }

    /** The loop's current time in nanoseconds. */
    public long timeNanos() {
        return clock.nanoTime();
    }

    /** The clock the loop reads time from. */
    public LoopClock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks already
     * scheduled (FIFO), in a copy of the current context.
     *
     * @throws IllegalStateException if the loop is closed or called from a foreign thread
     */
    public Handle callSoon(Runnable callback) {
        return callSoon(callback, null);
    }

    /** As {@link #callSoon(Runnable)}, running the callback in {@code context} (null: a copy of the current one). */
    public Handle callSoon(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        checkThread();
        Handle h = new Handle(this, callback, contextOrCopy(context));
        ready.add(h);
        return h;
    }

    /**
     * Schedules {@code callback} to run after {@code delaySeconds} of loop time (zero or less: on
     * the next iteration that handles timers), in a copy of the current context: asyncio's
     * {@code loop.call_later}. Timers due at the same time run in the order they were scheduled.
     *
     * @return the handle, whose {@link TimerHandle#cancel()} keeps the callback from running
     * @throws IllegalArgumentException if the delay is NaN
     * @throws IllegalStateException if the loop is closed or called from a foreign thread
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        return callLater(delaySeconds, callback, null);
    }

    /** As {@link #callLater(double, Runnable)} with a context (null: a copy of the current one). */
    public TimerHandle callLater(double delaySeconds, Runnable callback, Context context) {
        return callAtNanos(clock.nanoTime() + secondsToNanos("delaySeconds", delaySeconds), callback, contextOrCopy(context));
    }

    /** As {@link #callLater(double, Runnable)} with a {@link Duration}. */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        return callAtNanos(clock.nanoTime() + saturatedNanos(delay), callback, contextOrCopy(null));
    }

    /**
     * Schedules {@code callback} at loop time {@code whenSeconds} (compare {@link #time()}), in a
     * copy of the current context: asyncio's {@code loop.call_at}. A time already passed runs it on
     * the next iteration that handles timers.
     *
     * @return the handle, whose {@link TimerHandle#cancel()} keeps the callback from running
     * @throws IllegalArgumentException if {@code whenSeconds} is NaN
     * @throws IllegalStateException if the loop is closed or called from a foreign thread
     */
    public TimerHandle callAt(double whenSeconds, Runnable callback) {
        return callAt(whenSeconds, callback, null);
    }

    /** As {@link #callAt(double, Runnable)} with a context (null: a copy of the current one). */
    public TimerHandle callAt(double whenSeconds, Runnable callback, Context context) {
        return callAtNanos(secondsToNanos("whenSeconds", whenSeconds), callback, contextOrCopy(context));
    }

    /** Schedules a timer without copying a context: for internal callbacks that never read one. */
    TimerHandle callLaterInternal(long delayNanos, Runnable callback) {
        return callAtNanos(clock.nanoTime() + Math.max(0, delayNanos), callback, null);
    }

    /** Schedules a timer at loop time {@code whenNanos} without copying a context, nor reading the clock. */
    TimerHandle callAtInternal(long whenNanos, Runnable callback) {
        return callAtNanos(whenNanos, callback, null);
    }

    private TimerHandle callAtNanos(long whenNanos, Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        checkThread();
        TimerHandle t = new TimerHandle(this, whenNanos, timerSequence++, callback, context);
        timers.add(t);
        return t;
    }

    /**
     * Schedules {@code callback} from any thread, waking the loop if it is blocked waiting for I/O
     * or timers. The only scheduling method other threads may call.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        return callSoonThreadsafe(callback, null);
    }

    /** As {@link #callSoonThreadsafe(Runnable)} with a context (null: a copy of the caller's current one). */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        Handle h = new Handle(this, callback, context != null ? context : Context.current().copy());
        inbox.add(h);
        wakeUp();
        return h;
    }

    private void wakeUp() {
        if (WAKEUP_ARMED.compareAndSet(this, false, true)) {
            selector.wakeup();
        }
    }

    /** Puts an internal entry (a task step, a done callback) at the end of the ready queue. */
    final void scheduleReady(Ready r) {
        ready.add(r);
    }

    /** Takes back an entry just scheduled, when the suspension it was scheduled for failed. */
    final void unscheduleReady(Ready r) {
        ready.removeLastOccurrence(r);
    }

    private Context contextOrCopy(Context context) {
        return context != null ? context : currentContext.copy();
    }

    // ---------------------------------------------------------------- futures and tasks

    /** A new pending future bound to this loop: asyncio's {@code loop.create_future()}. */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Creates a task running {@code coro} on this loop: asyncio's {@code loop.create_task}. As
     * {@link #createTask(AsyncCallable, TaskOptions)} with no options. Does not suspend.
     */
    public <T> Task<T> createTask(AsyncCallable<T> coro) {
        return createTask(coro, TaskOptions.DEFAULT);
    }

    /** As {@link #createTask(AsyncCallable)} for a coroutine without a result: the task's result is {@code null}. */
    public Task<Void> createTask(AsyncRunnable coro) {
        return createTask(coro.asCallable(), TaskOptions.DEFAULT);
    }

    /**
     * Creates a task running {@code coro} with the given name, context and eager-start choice,
     * through the loop's {@link #setTaskFactory task factory} if one is set. Does not suspend the
     * caller: the task starts on the next iteration, or, when started eagerly, runs at once until
     * its first suspension.
     *
     * @throws IllegalStateException if the loop is closed or called from a foreign thread
     */
    @SuppressWarnings("unchecked")
    public <T> Task<T> createTask(AsyncCallable<T> coro, TaskOptions options) {
        Objects.requireNonNull(coro, "coro");
        Objects.requireNonNull(options, "options");
        checkOpen();
        checkThread();
        TaskFactory factory = taskFactory;
        if (factory == null) {
            return new Task<>(this, coro, options);
        }
        Task<T> task = (Task<T>) factory.createTask(this, coro, options);
        if (options.name() != null) {
            task.setName(options.name());
        }
        return task;
    }

    /** Installs the factory {@link #createTask} uses; null restores plain {@link Task}s. */
    public void setTaskFactory(TaskFactory factory) {
        this.taskFactory = factory;
    }

    /** The installed task factory, or null. */
    public TaskFactory getTaskFactory() {
        return taskFactory;
    }

    long nextTaskId() {
        return ++taskIds;
    }

    /** The pending tasks of this loop. */
    List<Task<?>> pendingTasks() {
        return tasks.pending();
    }

    /** The task this loop is running right now, or null. */
    Task<?> currentTask() {
        return currentTask;
    }

    /** The task about to await {@code f}; rejects awaits outside a task and across loops. */
    final Task<?> currentTaskFor(Future<?> f) {
        EventLoop running = RUNNING.get();
        if (running != this) {
            if (running == null) {
                throw new IllegalStateException("await() called outside a running event loop: " + f);
            }
            throw new IllegalStateException("Task got Future " + f + " attached to a different loop");
        }
        Task<?> t = currentTask;
        if (t == null) {
            throw new IllegalStateException("await() called outside a task (from a plain callback): " + f);
        }
        return t;
    }

    /** Runs one step of {@code task} with it current and its context entered. */
    final void runTaskStep(Task<?> task) {
        Task<?> previousTask = currentTask;
        Context previousContext = currentContext;
        currentTask = task;
        currentContext = task.suspendedContext;
        try {
            task.step();
        } finally {
            task.suspendedContext = currentContext;
            currentTask = previousTask;
            currentContext = previousContext;
        }
    }

    /**
     * Makes this loop the running one of the current thread, which is a task's own virtual thread
     * on the virtual-thread backend (on the continuation backend it already is).
     */
    final void adoptCurrentThread() {
        if (Thread.currentThread() != owner && RUNNING.get() != this) {
            RUNNING.set(this);
        }
    }

    Context currentContext() {
        return currentContext;
    }

    /** Enters {@code next} (null keeps the current one) and returns the context it replaced. */
    final Context swapContext(Context next) {
        Context previous = currentContext;
        if (next != null) {
            currentContext = next;
        }
        return previous;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the loop until {@link #stop()} is called. Interrupting the loop's thread while it waits
     * for I/O or timers also stops it, and returns with the thread's interrupt flag set.
     *
     * <p>On the virtual-thread backend ({@link #backendName()} {@code virtual}), a call from a
     * platform thread runs the loop on a virtual thread of the same name and waits for it, so that
     * a task switch hands control between two virtual threads instead of waking a parked platform
     * thread each time. Callbacks see that virtual thread as the current thread; interrupting the
     * calling thread interrupts it, and whatever it throws is rethrown.
     *
     * @throws IllegalStateException if the loop is closed, already running, or another loop runs
     *     on this thread
     */
    public void runForever() {
        checkOpen();
        if (owner != null) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
        backend.runLoop(this::runIterations);
    }

    /** The body of {@link #runForever()}, on the thread the backend chose. */
    private void runIterations() {
        owner = Thread.currentThread();
        RUNNING.set(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            RUNNING.remove();
            owner = null;
            if (interrupted) {
                interrupted = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs the loop until {@code future} is done and returns its result: asyncio's
     * {@code loop.run_until_complete}. If the future failed, its exception comes out unchanged
     * (checked exceptions included, although none is declared).
     *
     * @return the future's result
     * @throws CancelledError if the future was cancelled
     * @throws IllegalArgumentException if {@code future} belongs to another loop
     * @throws IllegalStateException if the loop stopped before the future was done, or see
     *     {@link #runForever()}
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future.loop != this) {
            throw new IllegalArgumentException("future " + future + " belongs to a different loop");
        }
        java.util.function.Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /**
     * Runs {@code coro} as a task of this loop until it is done and returns its result, as
     * {@link #runUntilComplete(Future)}.
     *
     * @return what {@code coro} returned
     */
    public <T> T runUntilComplete(AsyncCallable<T> coro) {
        return runUntilComplete(createTask(coro));
    }

    /**
     * Stops the loop after the current iteration; if it is not running, the next
     * {@link #runForever()} runs one iteration and returns. Loop thread only.
     */
    public void stop() {
        checkThread();
        stopping = true;
    }

    /** Whether the loop is running. */
    public boolean isRunning() {
        return owner != null;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: drops pending callbacks and timers, closes the selector and shuts down the
     * default executor without waiting. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (owner != null) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closed = true;
        if (signalHandlersInstalled) {
            SignalRegistry.removeAll(this);
        }
        if (processes != null) {
            processes.closeAll();
        }
        ready.clear();
        inbox.clear();
        while (!timers.isEmpty()) {
            timers.poll();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the selector failed", e);
        }
        Executor executor = defaultExecutor;
        defaultExecutor = null;
        if (executor instanceof ExecutorService es) {
            es.shutdown();
        }
    }

    private void runOnce() {
        timers.purgeCancelled();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else if (!timers.isEmpty()) {
            timeout = Math.max(0, timers.peek().whenNanos - clock.nanoTime());
        } else {
            timeout = -1;
        }
        poll(timeout);
        long now = clock.nanoTime();
        while (!timers.isEmpty() && timers.peek().whenNanos <= now) {
            TimerHandle t = timers.poll();
            if (!t.cancelled()) {
                ready.add(t);
            }
        }
        int n = ready.size();
        if (debug) {
            runReadyTimed(n);
        } else {
            for (int i = 0; i < n; i++) {
                ready.poll().runReady();
            }
        }
        tasks.reportDestroyed(this);
    }

    private void runReadyTimed(int n) {
        BlockingWatchdog.Watch watch = blockingWatch;
        if (watch == null) {
            watch = blockingWatch = new BlockingWatchdog.Watch(this);
        }
        for (int i = 0; i < n; i++) {
            Ready r = ready.poll();
            long t0 = System.nanoTime();
            watch.begin(r, t0, slowCallbackNanos);
            r.runReady();
            watch.end();
            long took = System.nanoTime() - t0;
            if (took >= slowCallbackNanos) {
                LOG.log(System.Logger.Level.WARNING, "Executing {0} took {1} seconds", r,
                        String.format("%.3f", took / 1e9));
            }
        }
    }

    /** Waits for I/O up to {@code timeoutNanos} (0: poll, -1: forever) and queues what is ready. */
    private void poll(long timeoutNanos) {
        if (!inbox.isEmpty()) {
            timeoutNanos = 0;
        }
        if (timeoutNanos == 0) {
            if (ioRegistrations > 0) {
                select(0);
            }
        } else if (virtualClock != null) {
            waitVirtually(timeoutNanos);
        } else {
            select(timeoutNanos);
        }
        drainInbox();
    }

    /**
     * The virtual clock's wait: poll sockets; if nothing can arrive, jump to the next timer. Work on
     * other threads is waited for in real time, which the clock then follows.
     */
    private void waitVirtually(long timeoutNanos) {
        if (externalWork.get() > 0 || (timeoutNanos < 0 && ioRegistrations > 0)) {
            long t0 = System.nanoTime();
            select(timeoutNanos);
            virtualClock.advanceNanos(timeoutNanos < 0 ? 0 : Math.min(timeoutNanos, System.nanoTime() - t0));
            return;
        }
        int events = ioRegistrations > 0 ? select(0) : 0;
        if (events > 0 || !inbox.isEmpty()) {
            return;
        }
        if (timeoutNanos > 0) {
            virtualClock.advanceNanos(timeoutNanos);
        } else {
            select(-1);
        }
    }

    /** One select call; returns the number of channels made ready. */
    private int select(long timeoutNanos) {
        int n;
        try {
            if (timeoutNanos == 0) {
                n = selector.selectNow(queueReady);
            } else {
                WAKEUP_ARMED.setVolatile(this, false);
                if (!inbox.isEmpty()) {
                    n = selector.selectNow(queueReady);
                } else if (timeoutNanos < 0) {
                    n = selector.select(queueReady);
                } else {
                    // Round up to whole milliseconds so a timer never fires early.
                    n = selector.select(queueReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
                }
                WAKEUP_ARMED.setVolatile(this, true);
                if (Thread.interrupted()) {
                    // An interrupted thread's select returns at once, forever: rather than spin,
                    // stop the loop and hand the interrupt back to whoever runs it.
                    interrupted = true;
                    stopping = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        } catch (ClosedSelectorException e) {
            throw new IllegalStateException("Event loop is closed", e);
        }
        return n;
    }

    /**
     * Queues the reader and writer of a channel the selector found ready. Passed to the selector's
     * action-taking {@code select} methods, which skip the selected-key set: a select allocates
     * nothing.
     */
    private void queueKey(SelectionKey key) {
        IoRegistration reg = (IoRegistration) key.attachment();
        if (!key.isValid()) {
            return;
        }
        int ops = key.readyOps();
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && reg.reader != null) {
            ready.add(reg.reader);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && reg.writer != null) {
            ready.add(reg.writer);
        }
    }

    private void drainInbox() {
        Handle h;
        while ((h = inbox.poll()) != null) {
            ready.add(h);
        }
    }

    // ---------------------------------------------------------------- I/O readiness

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader}. Replaces an earlier reader.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode or cannot be read
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        int op = channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        if (op == 0) {
            throw new IllegalArgumentException("channel " + channel + " cannot be read");
        }
        Handle h = newIoHandle(callback);
        registration(channel).setReader(h, op);
        return h;
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (or, while a socket is
     * connecting, when the connection attempt finishes), until {@link #removeWriter}.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode or cannot be written
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        int valid = channel.validOps();
        int op = channel instanceof SocketChannel sc && sc.isConnectionPending()
                ? SelectionKey.OP_CONNECT : valid & SelectionKey.OP_WRITE;
        if (op == 0) {
            throw new IllegalArgumentException("channel " + channel + " cannot be written");
        }
        Handle h = newIoHandle(callback);
        registration(channel).setWriter(h, op);
        return h;
    }

    /** Stops watching {@code channel} for reading. Returns whether a reader was registered. */
    public boolean removeReader(SelectableChannel channel) {
        checkThread();
        IoRegistration reg = existing(channel);
        return reg != null && reg.setReader(null, 0);
    }

    /** Stops watching {@code channel} for writing. Returns whether a writer was registered. */
    public boolean removeWriter(SelectableChannel channel) {
        checkThread();
        IoRegistration reg = existing(channel);
        return reg != null && reg.setWriter(null, 0);
    }

    private Handle newIoHandle(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        checkThread();
        return new Handle(this, callback, currentContext.copy());
    }

    private IoRegistration existing(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() ? (IoRegistration) key.attachment() : null;
    }

    private IoRegistration registration(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel " + channel + " must be in non-blocking mode");
        }
        IoRegistration reg = existing(channel);
        if (reg != null) {
            return reg;
        }
        try {
            if (channel.keyFor(selector) != null) {
                // A key cancelled since the last select still blocks re-registration: flush it.
                flushCancelledKeys();
            }
            reg = new IoRegistration();
            reg.key = channel.register(selector, 0, reg);
            return reg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + channel, e);
        }
    }

    /**
     * Deregisters the cancelled keys now. NIO defers closing a channel that is still registered
     * until its key is deregistered by a select, so without this a socket closed right after its
     * last watch was removed would stay open (a listening one still accepting) until the next poll.
     */
    private void flushCancelledKeys() {
        try {
            selector.selectNow(queueReady);
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        }
    }

    /** The reader and writer of one channel, sharing its selection key. */
    private final class IoRegistration {
        SelectionKey key;
        Handle reader;
        Handle writer;
        int readOp;
        int writeOp;

        boolean setReader(Handle h, int op) {
            Handle old = reader;
            reader = h;
            readOp = op;
            return update(old);
        }

        boolean setWriter(Handle h, int op) {
            Handle old = writer;
            writer = h;
            writeOp = op;
            return update(old);
        }

        private boolean update(Handle old) {
            if (old != null) {
                old.cancel();
            }
            int before = key.interestOps();
            int after = (reader != null ? readOp : 0) | (writer != null ? writeOp : 0);
            if (after == 0) {
                key.cancel();
                flushCancelledKeys();
            } else {
                key.interestOps(after);
            }
            if (before == 0 && after != 0) {
                ioRegistrations++;
            } else if (before != 0 && after == 0) {
                ioRegistrations--;
            }
            return old != null;
        }
    }

    // ---------------------------------------------------------------- networking

    /**
     * Opens a TCP connection to {@code host} and {@code port} and returns its transport and the
     * protocol made by {@code protocolFactory}: asyncio's {@code loop.create_connection}. Suspends
     * the current task while the host is resolved (off the loop, unless it is a numeric address)
     * and each resolved address is tried in turn, until one connects; returns once the protocol's
     * {@code connectionMade} has run.
     *
     * @param host a host name or numeric address; null means the loopback address
     * @throws java.net.ConnectException and other {@link IOException}s naming the address when
     *     every attempt failed (one error if there was one attempt or all failed alike, else one
     *     "Multiple exceptions" error); {@link java.net.UnknownHostException} if the name does not resolve
     * @throws IllegalArgumentException if {@code port} is out of range
     * @throws CancelledError if the task is cancelled; a socket being connected is closed
     */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory, String host,
            int port) throws IOException {
        return Endpoints.createConnection(this, protocolFactory, host, port, ConnectOptions.DEFAULT);
    }

    /**
     * As {@link #createConnection(Supplier, String, int)} with asyncio's keyword arguments: the
     * address family, a local address to bind, Happy Eyeballs ({@code happyEyeballsDelay},
     * {@code interleave}) and {@code allErrors}.
     */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory, String host,
            int port, ConnectOptions options) throws IOException {
        return Endpoints.createConnection(this, protocolFactory, host, port, options);
    }

    /**
     * Wraps the connected socket {@code sock} (TCP or Unix) in a transport and a protocol:
     * asyncio's {@code create_connection(sock=...)}. The transport owns the socket from then on.
     * Suspends the current task until {@code connectionMade} has run.
     *
     * @throws IllegalArgumentException if {@code sock} is not connected (or is closed); the
     *     caller keeps the socket
     * @throws CancelledError if the task is cancelled while waiting; the transport, and with it
     *     {@code sock}, is closed (so is {@code sock} if the protocol factory fails)
     * @throws IllegalStateException if called outside a task of this loop; the caller keeps {@code sock} then
     */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory,
            SocketChannel sock) throws IOException {
        return Endpoints.createConnection(this, protocolFactory, sock);
    }

    /**
     * Wraps a socket accepted outside the loop in a transport and a protocol: asyncio's
     * {@code connect_accepted_socket}. As {@link #createConnection(Supplier, SocketChannel)}:
     * suspends until {@code connectionMade} has run; cancelling the task closes the socket.
     */
    public <P extends BaseProtocol> Connection<P> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
            SocketChannel sock) throws IOException {
        return Endpoints.connectAcceptedSocket(this, protocolFactory, sock);
    }

    /**
     * Connects to the Unix-domain socket at {@code path}: asyncio's
     * {@code loop.create_unix_connection}. Suspends until {@code connectionMade} has run.
     *
     * @throws IOException naming the path if the connection fails
     * @throws CancelledError if the task is cancelled; the socket is closed
     */
    public <P extends BaseProtocol> Connection<P> createUnixConnection(Supplier<? extends P> protocolFactory, Path path)
            throws IOException {
        return Endpoints.createUnixConnection(this, protocolFactory, path);
    }

    /**
     * Wraps the connected Unix-domain socket {@code sock} in a transport and a protocol: asyncio's
     * {@code create_unix_connection(sock=...)}. As {@link #createConnection(Supplier, SocketChannel)},
     * which also takes Unix sockets.
     *
     * @throws IllegalArgumentException if {@code sock} is not connected, or not a Unix-domain
     *     socket; the caller keeps the socket
     */
    public <P extends BaseProtocol> Connection<P> createUnixConnection(Supplier<? extends P> protocolFactory,
            SocketChannel sock) throws IOException {
        return Endpoints.createUnixConnection(this, protocolFactory, sock);
    }

    /**
     * Listens on {@code host} and {@code port} with asyncio's defaults: asyncio's
     * {@code loop.create_server}. See {@link #createServer(Supplier, List, int, ServerOptions)},
     * which says when it suspends and what it throws.
     */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port)
            throws IOException {
        return Endpoints.createServer(this, protocolFactory, java.util.Collections.singletonList(host), port,
                ServerOptions.DEFAULT);
    }

    /** As {@link #createServer(Supplier, List, int, ServerOptions)} for one host. */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
            ServerOptions options) throws IOException {
        return Endpoints.createServer(this, protocolFactory, java.util.Collections.singletonList(host), port, options);
    }

    /**
     * Listens on every address of {@code hosts} at {@code port} and returns the server: asyncio's
     * {@code loop.create_server}. Each host is resolved (off the loop unless numeric) and each
     * distinct address gets a listening socket; port 0 picks a free port per socket, readable from
     * {@link Server#sockets()}. A null or empty host means every interface. Unless
     * {@code options.startServing()} is false, the server accepts connections at once and the task
     * is suspended for one loop iteration. Each accepted connection gets a protocol from
     * {@code protocolFactory} and a transport.
     *
     * @throws java.net.BindException naming the address if one cannot be bound (the sockets
     *     already bound are closed)
     * @throws java.net.UnknownHostException if a host does not resolve
     * @throws IllegalArgumentException if {@code port} is out of range, or {@code reusePort} is
     *     asked for where the platform lacks it
     * @throws CancelledError if the task is cancelled while a host is resolved, or during the loop
     *     iteration after the server started serving; the server is then closed (asyncio leaves
     *     it serving, unreachable)
     * @throws IllegalStateException if called outside a task of this loop when a host name must
     *     be resolved, or when {@code startServing} would make it yield; nothing is bound then
     */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
            ServerOptions options) throws IOException {
        return Endpoints.createServer(this, protocolFactory, hosts, port, options);
    }

    /**
     * Serves on an existing server socket (bound and listening; an unbound one is bound to a free
     * port): asyncio's {@code create_server(sock=...)}. The server owns the socket from then on.
     * Suspends, and fails on cancellation, as
     * {@link #createServer(Supplier, List, int, ServerOptions)} after its sockets are bound.
     */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, ServerSocketChannel sock,
            ServerOptions options) throws IOException {
        return Endpoints.createServer(this, protocolFactory, sock, options);
    }

    /**
     * As {@link #createUnixServer(Supplier, Path, ServerOptions)} with asyncio's defaults: the
     * server accepts at once, and the task is suspended for one loop iteration.
     */
    public Server createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path) throws IOException {
        return Endpoints.createUnixServer(this, protocolFactory, path, ServerOptions.DEFAULT);
    }

    /**
     * Listens on a Unix-domain socket at {@code path}: asyncio's {@code loop.create_unix_server}.
     * A socket file left at {@code path} by an earlier server is removed first; any other file
     * there makes the bind fail. With {@code cleanupSocket} (the default), closing the server
     * removes the file it created, unless it was replaced meanwhile. Unless
     * {@code options.startServing()} is false, the server accepts connections at once and the task
     * is suspended for one loop iteration.
     *
     * @throws java.net.BindException if the address is in use
     * @throws IllegalArgumentException if {@code options} sets family, reuseAddress, reusePort or
     *     keepAlive, which do not apply to Unix sockets
     * @throws CancelledError if the task is cancelled during that loop iteration; the server is
     *     then closed (asyncio leaves it serving, unreachable)
     * @throws IllegalStateException if called outside a task of this loop with {@code startServing};
     *     nothing is bound then
     */
    public Server createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path, ServerOptions options)
            throws IOException {
        return Endpoints.createUnixServer(this, protocolFactory, path, options);
    }

    /**
     * Serves on an existing Unix-domain server socket: asyncio's {@code create_unix_server(sock=...)}.
     * Suspends, and fails on cancellation, as {@link #createUnixServer(Supplier, Path, ServerOptions)}.
     *
     * @throws IllegalArgumentException if {@code sock} is not a Unix-domain socket, or for the
     *     options that do not apply to one
     */
    public Server createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, ServerSocketChannel sock,
            ServerOptions options) throws IOException {
        return Endpoints.createUnixServer(this, protocolFactory, sock, options);
    }

    /**
     * Resolves {@code host} on the default executor, suspending the task meanwhile: asyncio's
     * {@code loop.getaddrinfo}. Returns the addresses with {@code port}, in the resolver's order.
     * Connections and servers resolve through this method, so a subclass may override it.
     *
     * @param host a host name or numeric address; null means the loopback address
     * @param family {@code INET} or {@code INET6} to keep only that family; null for any
     * @throws java.net.UnknownHostException if the name does not resolve (to that family)
     * @throws IllegalArgumentException if {@code port} is out of range
     * @throws CancelledError if the task is cancelled while waiting; the lookup runs to its end on
     *     its thread and its result is dropped
     * @throws IllegalStateException if called outside a task of this loop, or after
     *     {@link #shutdownDefaultExecutor}
     */
    public List<InetSocketAddress> getaddrinfo(String host, int port, ProtocolFamily family)
            throws java.net.UnknownHostException {
        return Resolver.getaddrinfo(this, host, port, family);
    }

    /**
     * Finds the host name of {@code address} (a reverse lookup) on the default executor, suspending
     * the task meanwhile: asyncio's {@code loop.getnameinfo}. Returns the address with that name,
     * read with {@link InetSocketAddress#getHostName()}; the numeric address when there is no name.
     *
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws CancelledError if the task is cancelled while waiting; the lookup runs to its end on
     *     its thread and its result is dropped
     * @throws IllegalStateException if called outside a task of this loop, or after
     *     {@link #shutdownDefaultExecutor}
     */
    public InetSocketAddress getnameinfo(InetSocketAddress address) throws java.net.UnknownHostException {
        return Resolver.getnameinfo(this, address);
    }

    /**
     * Connects the non-blocking {@code sock} to {@code address}, suspending the task until the
     * connection is made: asyncio's {@code loop.sock_connect}. An unresolved address is resolved first.
     *
     * @throws java.net.ConnectException and other {@link IOException}s naming the address
     * @throws IllegalArgumentException if {@code sock} is in blocking mode
     * @throws IllegalStateException if a transport uses {@code sock}
     * @throws CancelledError if the task is cancelled; the caller should close the socket
     */
    public void sockConnect(SocketChannel sock, SocketAddress address) throws IOException {
        SocketOps.sockConnect(this, sock, address);
    }

    /**
     * Accepts a connection on the non-blocking, listening {@code sock}, suspending the task until
     * one arrives: asyncio's {@code loop.sock_accept}. Returns the new connection in non-blocking
     * mode; its peer is {@link SocketChannel#getRemoteAddress()}.
     *
     * @throws IllegalArgumentException if {@code sock} is in blocking mode
     * @throws CancelledError if the task is cancelled; a connection accepted for it is closed
     */
    public SocketChannel sockAccept(ServerSocketChannel sock) throws IOException {
        return SocketOps.sockAccept(this, sock);
    }

    /**
     * Reads up to {@code n} bytes from the non-blocking {@code sock}, suspending the task until some
     * arrive: asyncio's {@code loop.sock_recv}. An empty result means end of stream.
     *
     * @throws IllegalArgumentException if {@code n} is negative or {@code sock} is in blocking mode
     * @throws CancelledError if the task is cancelled while waiting
     */
    public <C extends SelectableChannel & ReadableByteChannel> byte[] sockRecv(C sock, int n) throws IOException {
        return SocketOps.sockRecv(this, sock, n);
    }

    /**
     * Reads into the remaining space of {@code buf} from the non-blocking {@code sock}, suspending
     * the task until some bytes arrive: asyncio's {@code loop.sock_recv_into}. Returns the number of
     * bytes read, or -1 at end of stream (asyncio returns 0); 0 at once if {@code buf} is full.
     *
     * @throws IllegalArgumentException if {@code sock} is in blocking mode
     * @throws CancelledError if the task is cancelled while waiting
     */
    public <C extends SelectableChannel & ReadableByteChannel> int sockRecvInto(C sock, ByteBuffer buf)
            throws IOException {
        return SocketOps.sockRecvInto(this, sock, buf);
    }

    /**
     * Sends all remaining bytes of {@code data} on the non-blocking {@code sock}, suspending the
     * task while the socket is full: asyncio's {@code loop.sock_sendall}. On return {@code data} is
     * consumed. After an error, how much was sent is unknown.
     *
     * @throws IllegalArgumentException if {@code sock} is in blocking mode
     * @throws CancelledError if the task is cancelled while waiting; part of the data may be sent
     */
    public <C extends SelectableChannel & WritableByteChannel> void sockSendall(C sock, ByteBuffer data)
            throws IOException {
        SocketOps.sockSendall(this, sock, data);
    }

    /** As {@link #sockSendall(SelectableChannel, ByteBuffer)} for an array. */
    public <C extends SelectableChannel & WritableByteChannel> void sockSendall(C sock, byte[] data)
            throws IOException {
        SocketOps.sockSendall(this, sock, ByteBuffer.wrap(data));
    }

    /**
     * Sends all of {@code file}, from its start, on {@code sock}; see
     * {@link #sockSendfile(SocketChannel, FileChannel, long, Long)}, which says when it suspends
     * and what it throws.
     */
    public long sockSendfile(SocketChannel sock, FileChannel file) throws IOException {
        return SocketOps.sockSendfile(this, sock, file, 0, null);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (null: to the end of the file)
     * on the non-blocking {@code sock} with the operating system's zero-copy transfer, suspending
     * the task while the socket is full: asyncio's {@code loop.sock_sendfile}. Returns the number
     * of bytes sent; the file's position is then just after them.
     *
     * @throws IllegalArgumentException if {@code offset} is negative, {@code count} is not
     *     positive, or {@code sock} is in blocking mode
     * @throws CancelledError if the task is cancelled while waiting
     */
    public long sockSendfile(SocketChannel sock, FileChannel file, long offset, Long count) throws IOException {
        return SocketOps.sockSendfile(this, sock, file, offset, count);
    }

    // ---------------------------------------------------------------- subprocesses

    /** The child processes of this loop, released when it closes; created on first use. */
    private ProcessRegistry processes;

    /**
     * Runs {@code args} (the program and its arguments) as a child process whose stdin, stdout
     * and stderr are pipes, with a protocol made by {@code protocolFactory}: asyncio's
     * {@code loop.subprocess_exec}. See {@link #subprocessExec(Supplier, List, SubprocessOptions)}.
     */
    public <P extends SubprocessProtocol> SubprocessConnection<P> subprocessExec(Supplier<? extends P> protocolFactory,
            List<String> args) throws IOException {
        return subprocessExec(protocolFactory, args, SubprocessOptions.PIPES);
    }

    /**
     * Runs {@code args} (the program and its arguments, without a shell) as a child process and
     * returns its transport and the protocol made by {@code protocolFactory}: asyncio's
     * {@code loop.subprocess_exec}. The child is started on the loop thread, then the current
     * task is suspended until the protocol's {@code connectionMade} has run. Pipes are read and
     * written by helper threads that hand the data to this loop; the exit is reported through
     * {@code processExited}. {@code options.limit()} is not used here.
     *
     * @throws IOException if the program cannot be started (not found, not executable, bad
     *     working directory)
     * @throws IllegalArgumentException if {@code args} is empty or a redirect does not suit its stream
     * @throws CancelledError if the task is cancelled while waiting; the child is then killed and
     *     waited for, as in asyncio
     * @throws IllegalStateException if called outside a task of this loop
     */
    public <P extends SubprocessProtocol> SubprocessConnection<P> subprocessExec(Supplier<? extends P> protocolFactory,
            List<String> args, SubprocessOptions options) throws IOException {
        return Subprocesses.exec(this, processes(), protocolFactory, args, options);
    }

    /** As {@link #subprocessShell(Supplier, String, SubprocessOptions)} with every stream a pipe. */
    public <P extends SubprocessProtocol> SubprocessConnection<P> subprocessShell(Supplier<? extends P> protocolFactory,
            String cmd) throws IOException {
        return subprocessShell(protocolFactory, cmd, SubprocessOptions.PIPES);
    }

    /**
     * Runs {@code cmd} with {@code /bin/sh -c}: asyncio's {@code loop.subprocess_shell}. As
     * {@link #subprocessExec(Supplier, List, SubprocessOptions)} otherwise. The shell interprets
     * the whole string: quote what comes from users.
     */
    public <P extends SubprocessProtocol> SubprocessConnection<P> subprocessShell(Supplier<? extends P> protocolFactory,
            String cmd, SubprocessOptions options) throws IOException {
        return Subprocesses.shell(this, processes(), protocolFactory, cmd, options);
    }

    private ProcessRegistry processes() {
        checkOpen();
        checkThread();
        ProcessRegistry r = processes;
        if (r == null) {
            r = new ProcessRegistry(externalWork);
            processes = r;
        }
        return r;
    }

    // ---------------------------------------------------------------- datagrams

    /**
     * Opens a UDP endpoint: asyncio's {@code loop.create_datagram_endpoint(protocol_factory,
     * local_addr, remote_addr)}. As {@link #createDatagramEndpoint(Supplier, DatagramOptions)} with
     * only these two addresses given; either may be null, not both.
     */
    public <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(Supplier<? extends P> protocolFactory,
            InetSocketAddress localAddr, InetSocketAddress remoteAddr) throws IOException {
        return Datagrams.createDatagramEndpoint(this, protocolFactory,
                DatagramOptions.DEFAULT.withLocalAddr(localAddr).withRemoteAddr(remoteAddr));
    }

    /**
     * Opens a UDP endpoint and returns its transport and the protocol made by
     * {@code protocolFactory}: asyncio's {@code loop.create_datagram_endpoint}. Suspends the task
     * while unresolved addresses are resolved (off the loop) and until the protocol's
     * {@code connectionMade} has run. The socket is bound to {@code localAddr} if given and
     * connected to {@code remoteAddr} if given (unless {@code allowBroadcast}); when the addresses
     * resolve to several families, each family common to both is tried in turn until one works.
     *
     * @throws IllegalArgumentException if neither address nor a family is given, the addresses
     *     have no family in common, or {@code reusePort} is asked for where the platform lacks it
     * @throws java.net.BindException and other {@link IOException}s naming the address if no
     *     attempt succeeded (the first attempt's error); {@link java.net.UnknownHostException} if a
     *     name does not resolve
     * @throws CancelledError if the task is cancelled; nothing stays open
     */
    public <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(Supplier<? extends P> protocolFactory,
            DatagramOptions options) throws IOException {
        return Datagrams.createDatagramEndpoint(this, protocolFactory, options);
    }

    /**
     * Opens a UDP endpoint over the existing socket {@code sock}: asyncio's
     * {@code create_datagram_endpoint(sock=...)}. The socket is made non-blocking and the transport
     * owns it from then on. If it is connected, its peer is the endpoint's remote address. Suspends
     * until {@code connectionMade} has run.
     *
     * @throws IllegalStateException if another open transport owns {@code sock}
     * @throws CancelledError if the task is cancelled; the socket is closed
     */
    public <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(Supplier<? extends P> protocolFactory,
            DatagramChannel sock) throws IOException {
        return Datagrams.createDatagramEndpoint(this, protocolFactory, sock);
    }

    /**
     * Receives one datagram of at most {@code bufsize} bytes from the non-blocking {@code sock},
     * suspending the task until one arrives: asyncio's {@code loop.sock_recvfrom} (3.11). A longer
     * datagram is truncated to {@code bufsize} bytes, the rest lost, as with {@code recvfrom}.
     *
     * @throws IOException if the socket reports an error, such as a
     *     {@link java.net.PortUnreachableException} on a connected socket
     * @throws IllegalArgumentException if {@code bufsize} is negative or {@code sock} is in blocking mode
     * @throws IllegalStateException if a transport uses {@code sock}
     * @throws CancelledError if the task is cancelled while waiting; no datagram is taken
     */
    public Datagram sockRecvfrom(DatagramChannel sock, int bufsize) throws IOException {
        return Datagrams.sockRecvfrom(this, sock, bufsize);
    }

    /**
     * Receives one datagram into the remaining space of {@code buf} from the non-blocking
     * {@code sock}, suspending the task until one arrives: asyncio's
     * {@code loop.sock_recvfrom_into} (3.11). Returns the sender's address; the datagram's bytes
     * are those between the buffer's old and new positions (asyncio's {@code nbytes} is the
     * buffer's remaining space: set its limit). What does not fit is lost, as with {@code recvfrom}.
     *
     * @throws IOException if the socket reports an error
     * @throws IllegalArgumentException if {@code sock} is in blocking mode
     * @throws IllegalStateException if a transport uses {@code sock}
     * @throws CancelledError if the task is cancelled while waiting; no datagram is taken
     */
    public SocketAddress sockRecvfromInto(DatagramChannel sock, ByteBuffer buf) throws IOException {
        return Datagrams.sockRecvfromInto(this, sock, buf);
    }

    /**
     * Sends the remaining bytes of {@code data} as one datagram to {@code address} on the
     * non-blocking {@code sock}, suspending the task while the socket has no room: asyncio's
     * {@code loop.sock_sendto} (3.11). An unresolved address is resolved first. Returns the number
     * of bytes sent, all of them; on return {@code data} is consumed.
     *
     * @throws IOException naming the size and the address if the datagram is refused, for example
     *     because it is longer than the protocol allows
     * @throws IllegalArgumentException if {@code sock} is in blocking mode, or is connected to
     *     another address than {@code address} (Java cannot send elsewhere from a connected socket)
     * @throws UnsupportedOperationException for an empty datagram on a connected socket
     * @throws IllegalStateException if a transport uses {@code sock}
     * @throws CancelledError if the task is cancelled while waiting; the datagram is not sent
     */
    public int sockSendto(DatagramChannel sock, ByteBuffer data, SocketAddress address) throws IOException {
        return Datagrams.sockSendto(this, sock, data, address);
    }

    /** As {@link #sockSendto(DatagramChannel, ByteBuffer, SocketAddress)} for an array. */
    public int sockSendto(DatagramChannel sock, byte[] data, SocketAddress address) throws IOException {
        return Datagrams.sockSendto(this, sock, ByteBuffer.wrap(data), address);
    }

    // ---------------------------------------------------------------- TLS
    // asyncio's ssl= arguments and start_tls; the TLS layer lives in io.jasyncio.internal.net.

    /**
     * As {@link #createConnection(Supplier, String, int)}, over TLS: asyncio's
     * {@code create_connection(..., ssl=...)}. After the TCP connection is made the task stays
     * suspended through the TLS handshake; the protocol's {@code connectionMade} runs once the
     * handshake succeeded, with a transport that encrypts what the protocol writes and decrypts
     * what it receives. The client checks the server's certificate and, unless
     * {@code ssl.checkHostname()} is false, that it matches {@code ssl.serverHostname()} (by default
     * {@code host}).
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails, e.g. the certificate is
     *     not trusted or does not match the host name
     * @throws java.net.SocketTimeoutException if the handshake takes longer than
     *     {@code ssl.sslHandshakeTimeout()} (60 s by default)
     * @throws java.net.SocketException if the peer closes the connection during the handshake
     * @throws IllegalArgumentException if {@code host} is null or empty and no server host name is
     *     given, or the server host name is empty while {@code checkHostname} is on
     * @throws CancelledError if the task is cancelled; the connection is aborted
     */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory, String host,
            int port, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createConnection(this, protocolFactory, host, port,
                ConnectOptions.DEFAULT, ssl);
    }

    /** As {@link #createConnection(Supplier, String, int, io.jasyncio.net.TlsOptions)} with connection options. */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory, String host,
            int port, ConnectOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createConnection(this, protocolFactory, host, port, options, ssl);
    }

    /**
     * TLS client over the connected socket {@code sock}: asyncio's
     * {@code create_connection(sock=..., ssl=..., server_hostname=...)}. Suspends the task through
     * the handshake; fails as {@link #createConnection(Supplier, String, int, io.jasyncio.net.TlsOptions)}
     * does once connected.
     *
     * @throws IllegalArgumentException if {@code ssl} names no server host name, or {@code sock}
     *     is not connected (the caller keeps it)
     * @throws CancelledError if the task is cancelled; the connection (and {@code sock}) is closed
     */
    public <P extends BaseProtocol> Connection<P> createConnection(Supplier<? extends P> protocolFactory,
            SocketChannel sock, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createConnection(this, protocolFactory, sock, ssl);
    }

    /**
     * TLS server side of a socket accepted outside the loop: asyncio's
     * {@code connect_accepted_socket(..., ssl=...)}. Suspends the task through the handshake.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails; the connection is closed
     * @throws java.net.SocketTimeoutException if the handshake takes longer than its timeout
     * @throws IllegalArgumentException if {@code ssl} has no context
     * @throws CancelledError if the task is cancelled; the connection (and {@code sock}) is closed
     */
    public <P extends BaseProtocol> Connection<P> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
            SocketChannel sock, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.connectAcceptedSocket(this, protocolFactory, sock, ssl);
    }

    /**
     * TLS over a Unix-domain socket: asyncio's {@code create_unix_connection(..., ssl=...,
     * server_hostname=...)}. Suspends the task while connecting and through the handshake; fails
     * as {@link #createConnection(Supplier, String, int, io.jasyncio.net.TlsOptions)} does once
     * connected.
     *
     * @throws IOException naming the path if the connection fails
     * @throws IllegalArgumentException if {@code ssl} names no server host name
     * @throws CancelledError if the task is cancelled; the connection is closed
     */
    public <P extends BaseProtocol> Connection<P> createUnixConnection(Supplier<? extends P> protocolFactory, Path path,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createUnixConnection(this, protocolFactory, path, ssl);
    }

    /**
     * TLS client over the connected Unix-domain socket {@code sock}: asyncio's
     * {@code create_unix_connection(sock=..., ssl=..., server_hostname=...)}. Suspends through the
     * handshake.
     *
     * @throws IllegalArgumentException if {@code ssl} names no server host name, or {@code sock}
     *     is not a connected Unix-domain socket (the caller keeps it)
     */
    public <P extends BaseProtocol> Connection<P> createUnixConnection(Supplier<? extends P> protocolFactory,
            SocketChannel sock, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createUnixConnection(this, protocolFactory, sock, ssl);
    }

    /** As {@link #createServer(Supplier, List, int, ServerOptions, io.jasyncio.net.TlsOptions)} for one host with default options. */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createServer(this, protocolFactory,
                java.util.Collections.singletonList(host), port, ServerOptions.DEFAULT, ssl);
    }

    /** As {@link #createServer(Supplier, List, int, ServerOptions, io.jasyncio.net.TlsOptions)} for one host. */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createServer(this, protocolFactory,
                java.util.Collections.singletonList(host), port, options, ssl);
    }

    /**
     * A TLS server: asyncio's {@code create_server(..., ssl=...)}. Listens as
     * {@link #createServer(Supplier, List, int, ServerOptions)}; each accepted connection first
     * completes a server-side handshake with {@code ssl.context()}, then its protocol's
     * {@code connectionMade} runs. A connection whose handshake fails or times out is closed and
     * its protocol sees no callback; in debug mode the failure goes to the exception handler.
     * Suspends, and fails, as the plain form does.
     *
     * @throws IllegalArgumentException if {@code ssl} has no context or names a server host name
     */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createServer(this, protocolFactory, hosts, port, options, ssl);
    }

    /**
     * A TLS server on an existing server socket: asyncio's {@code create_server(sock=..., ssl=...)}.
     * As {@link #createServer(Supplier, ServerSocketChannel, ServerOptions)}, with each connection
     * handled as by {@link #createServer(Supplier, List, int, ServerOptions, io.jasyncio.net.TlsOptions)}.
     */
    public Server createServer(Supplier<? extends BaseProtocol> protocolFactory, ServerSocketChannel sock,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createServer(this, protocolFactory, sock, options, ssl);
    }

    /**
     * A TLS server on a Unix-domain socket: asyncio's {@code create_unix_server(..., ssl=...)}. As
     * {@link #createUnixServer(Supplier, Path, ServerOptions)}, with each connection handled as by
     * {@link #createServer(Supplier, List, int, ServerOptions, io.jasyncio.net.TlsOptions)}.
     */
    public Server createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path, ServerOptions options,
            io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createUnixServer(this, protocolFactory, path, options, ssl);
    }

    /** A TLS server on an existing Unix-domain server socket: asyncio's {@code create_unix_server(sock=..., ssl=...)}. */
    public Server createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, ServerSocketChannel sock,
            ServerOptions options, io.jasyncio.net.TlsOptions ssl) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.createUnixServer(this, protocolFactory, sock, options, ssl);
    }

    /**
     * Upgrades a live connection to TLS (STARTTLS): asyncio's {@code loop.start_tls}. From now on
     * {@code transport} carries TLS records for a new transport, returned once the handshake
     * succeeded; {@code protocol} receives the decrypted data of the new transport, and its
     * {@code connectionMade} is not called again. Write nothing to {@code transport} afterwards.
     * Suspends the task through the handshake.
     *
     * @param transport a TCP or Unix transport made by this loop, or a TLS transport (TLS over TLS)
     * @param serverSide whether this end is the TLS server; a client with {@code checkHostname}
     *     needs {@code ssl.serverHostname()}
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails, and the other errors of
     *     {@link #createConnection(Supplier, String, int, io.jasyncio.net.TlsOptions)}
     * @throws IllegalArgumentException if the transport is of another kind, a server has no
     *     context, or a client checking host names has no server host name
     * @throws CancelledError if the task is cancelled; the transport is closed
     */
    public io.jasyncio.net.TlsTransport startTls(io.jasyncio.net.Transport transport, BaseProtocol protocol,
            io.jasyncio.net.TlsOptions ssl, boolean serverSide) throws IOException {
        return io.jasyncio.internal.net.TlsEndpoints.startTls(this, transport, protocol, ssl, serverSide);
    }

    // ---------------------------------------------------------------- executors

    /**
     * Runs the blocking {@code fn} on {@code executor} (null: the loop's {@linkplain #setDefaultExecutor
     * default executor}) and returns at once a future of this loop that receives its outcome:
     * asyncio's {@code loop.run_in_executor}. The outcome is delivered on the loop thread: the value,
     * or whatever {@code fn} threw, unchanged (a {@link CancelledError} it throws cancels the future).
     * {@code fn} does not see the caller's {@link ContextVar context variables}; {@link Asyncio#toThread}
     * runs it in a copy of them.
     *
     * <p><b>Cancellation.</b> Cancelling the future before the executor starts {@code fn} keeps
     * {@code fn} from ever running. Once it runs, it is not interrupted: it runs to its end on its
     * thread and its outcome is dropped.
     *
     * <p>Until the future is done, a {@link VirtualClock} waits for the job in real time.
     *
     * @throws IllegalStateException if the loop is closed, if called from a thread other than the
     *     running loop's, or if {@code executor} is null after {@link #shutdownDefaultExecutor}
     * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the job
     *     (for example because it was shut down)
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        checkOpen();
        checkThread();
        Executor ex = executor != null ? executor : defaultExecutor();
        ExecutorJob<T> job = new ExecutorJob<>(this, fn);
        try {
            ex.execute(job);
        } catch (RuntimeException | Error e) {
            externalWorkDone();
            throw e;
        }
        return job;
    }

    /**
     * Sets the executor {@link #runInExecutor} and {@link Asyncio#toThread} use when given none:
     * asyncio's {@code loop.set_default_executor}. Any {@link Executor} is accepted;
     * {@link #shutdownDefaultExecutor} and {@link #close()} can shut it down only if it is an
     * {@link ExecutorService}. The previous default executor, if any, is not shut down.
     *
     * <p>Until one is set, the loop makes its own on first use: a virtual thread per job on the
     * continuation backend; on the virtual-thread backend, whose tasks share the virtual threads'
     * carriers, asyncio's pool of min(32, cpus + 4) daemon platform threads, so that CPU-bound
     * jobs cannot freeze the loop (measurements in {@code docs/PERFORMANCE.md}, "Threads").
     *
     * @throws IllegalStateException if called from a thread other than the running loop's
     */
    public void setDefaultExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        checkThread();
        this.defaultExecutor = executor;
    }

    private Executor defaultExecutor() {
        if (executorShutdownCalled) {
            throw new IllegalStateException("Executor shutdown has been called");
        }
        Executor ex = defaultExecutor;
        if (ex == null) {
            ex = newDefaultExecutor();
            defaultExecutor = ex;
        }
        return ex;
    }

    /**
     * A virtual thread per job, except on the virtual-thread backend, where tasks run on virtual
     * threads too: there CPU-bound jobs would hold the carrier threads the tasks need and freeze
     * the loop, so jobs get asyncio's bounded platform pool, min(32, cpus + 4) daemon threads.
     * The measurements behind this are in docs/PERFORMANCE.md ("Threads").
     */
    private ExecutorService newDefaultExecutor() {
        if (!backend.name().equals("virtual")) {
            return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jasyncio-executor-", 0).factory());
        }
        int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("jasyncio-executor-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Shuts down the default executor and suspends the current task until the jobs it is running
     * have finished, or until {@code timeout} of loop time has passed (null: no limit): asyncio's
     * {@code loop.shutdown_default_executor}. From then on, {@link #runInExecutor} with a null
     * executor (and {@link Asyncio#toThread}) fails with {@link IllegalStateException}. If the
     * timeout passes first, a warning is logged and the jobs are left running, not interrupted.
     * {@link Runner#close()} and {@link Asyncio#run} call this with a 300-second timeout. Returns at
     * once if no default executor was ever created, or if it is not an {@link ExecutorService}.
     *
     * <p>Cancelling the waiting task stops the wait (the executor stays shut down).
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task of this loop
     */
    public void shutdownDefaultExecutor(Duration timeout) {
        checkThread();
        if (currentTask == null) {
            throw new IllegalStateException("shutdownDefaultExecutor() must be called from a task of this loop: it suspends");
        }
        executorShutdownCalled = true;
        if (!(defaultExecutor instanceof ExecutorService es)) {
            return;
        }
        es.shutdown();
        ExternalFuture<Boolean> terminated = new ExternalFuture<>(this);
        Thread.ofPlatform().daemon().name("jasyncio-executor-shutdown").start(() -> {
            try {
                terminated.post(es.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS), null);
            } catch (Throwable e) {
                terminated.post(null, e);
            }
        });
        TimerHandle deadline = timeout == null ? null : callLaterInternal(saturatedNanos(timeout), () -> {
            if (!terminated.done()) {
                terminated.setResult(false);
            }
        });
        try {
            if (!terminated.await()) {
                LOG.log(System.Logger.Level.WARNING,
                        "The executor did not finish joining its threads within {0} seconds.",
                        timeout.getSeconds() + timeout.getNano() / 1e9);
            }
        } finally {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    /** Schedules an internal callback from any thread, in whatever context the loop is in. */
    final void callSoonThreadsafeInternal(Runnable callback) {
        checkOpen();
        inbox.add(new Handle(this, callback, null));
        wakeUp();
    }

    /** A thread starts working for this loop: a {@link VirtualClock} waits for it in real time. */
    final void externalWorkStarted() {
        externalWork.incrementAndGet();
    }

    /** A job counted by {@link #externalWorkStarted} is over, or nobody waits for it any more. */
    final void externalWorkDone() {
        externalWork.decrementAndGet();
    }

    // ---------------------------------------------------------------- async generators

    /**
     * Closes every async generator first iterated on this loop and not yet finished, each in its
     * own task, and suspends the current task until all are closed: asyncio's
     * {@code loop.shutdown_asyncgens()}. A generator whose closing fails is reported to the
     * exception handler ("an error occurred during closing of asynchronous generator ..."). A
     * generator first iterated after this call is still tracked, with a logged warning.
     * Called by {@link Runner#close()} (and so by {@link Asyncio#run}) after cancelling the tasks.
     *
     * <p>Must be called from a task of this loop, since it waits.
     *
     * @throws CancelledError if the current task is cancelled while waiting; the closing tasks are
     *     cancelled too
     * @throws IllegalStateException if there are generators to close and the caller is not a
     *     task of this loop
     */
    public void shutdownAsyncgens() {
        asyncgens.shutdown();
    }

    // ---------------------------------------------------------------- signals

    /**
     * Runs {@code callback} on this loop whenever the process receives signal {@code sig}
     * ({@code "INT"}, {@code "SIGINT"} or {@code "sigint"}): asyncio's {@code add_signal_handler}.
     * Replaces an earlier handler of that signal; signals belong to the process, so a handler
     * added by another loop is replaced too. Handlers are removed when the loop closes.
     *
     * @throws IllegalArgumentException if the signal is unknown, cannot be caught (SIGKILL,
     *     SIGSTOP) or is reserved by the JVM (SIGQUIT, SIGSEGV, SIGBUS...), naming it
     * @throws IllegalStateException if the loop is closed or called from a foreign thread
     */
    public void addSignalHandler(String sig, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        checkThread();
        String name = SignalRegistry.canonicalName(sig);
        Handle handle = new Handle(this, callback, currentContext.copy());
        SignalRegistry.install(name, this, signal -> enqueueFromAnyThread(handle));
        signalHandlersInstalled = true;
    }

    /** As {@link #addSignalHandler(String, Runnable)} with the signal's POSIX number (2 for SIGINT). */
    public void addSignalHandler(int sig, Runnable callback) {
        addSignalHandler(SignalRegistry.nameOf(sig), callback);
    }

    /**
     * Removes this loop's handler of signal {@code sig}, restoring the JVM's own.
     *
     * @return whether this loop had a handler for it
     * @throws IllegalArgumentException if the signal is unknown
     */
    public boolean removeSignalHandler(String sig) {
        checkThread();
        return SignalRegistry.remove(SignalRegistry.canonicalName(sig), this);
    }

    /** As {@link #removeSignalHandler(String)} with the signal's POSIX number. */
    public boolean removeSignalHandler(int sig) {
        return removeSignalHandler(SignalRegistry.nameOf(sig));
    }

    /** Queues an existing handle from any thread; dropped silently once the loop is closed. */
    private void enqueueFromAnyThread(Handle handle) {
        if (!closed) {
            inbox.add(handle);
            wakeUp();
        }
    }

    // ---------------------------------------------------------------- errors

    /**
     * Installs the handler for errors no one else can receive; null restores
     * {@link #defaultExceptionHandler}.
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** The installed exception handler, or null. */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Passes {@code context} to the installed handler, or to {@link #defaultExceptionHandler}.
     * An exception thrown by the handler is logged, never propagated.
     */
    public void callExceptionHandler(Map<String, Object> context) {
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Throwable e) {
            Map<String, Object> failure = new HashMap<>();
            failure.put("message", "Unhandled error in exception handler");
            failure.put("exception", e);
            failure.put("context", context);
            defaultExceptionHandler(failure);
        }
    }

    /** Logs {@code context} at ERROR level on the {@code io.jasyncio} logger. */
    public void defaultExceptionHandler(Map<String, Object> context) {
        StringBuilder msg = new StringBuilder(String.valueOf(context.getOrDefault("message", "Unhandled exception in event loop")));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            String key = e.getKey();
            if (!key.equals("message") && !key.equals("exception")) {
                Object value = e.getValue();
                String text = value instanceof StackTraceElement[] frames ? java.util.Arrays.toString(frames) : String.valueOf(value);
                msg.append('\n').append(key).append(": ").append(text);
            }
        }
        Object exc = context.get("exception");
        if (exc instanceof Throwable t) {
            LOG.log(System.Logger.Level.ERROR, msg.toString(), t);
        } else {
            LOG.log(System.Logger.Level.ERROR, msg.toString());
        }
    }

    void reportCallbackError(String message, Throwable e, Handle handle) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", e);
        if (handle != null) {
            context.put("handle", handle);
            if (handle.sourceTraceback != null) {
                context.put("source_traceback", handle.sourceTraceback);
            }
        }
        callExceptionHandler(context);
    }

    /** Reports from a thread that may not own the loop (the GC's cleaner); logs if the loop is gone. */
    void reportFromAnyThread(Map<String, Object> context) {
        try {
            callSoonThreadsafe(() -> callExceptionHandler(context));
        } catch (IllegalStateException closed) {
            defaultExceptionHandler(context);
        }
    }

    // ---------------------------------------------------------------- debug

    /**
     * Turns debug mode on or off: slow-callback warnings and creation tracebacks. In debug mode a
     * callback or task step still running after the {@linkplain #setSlowCallbackDuration
     * slow-callback duration} is also reported while it runs, with the task's name and the stack
     * of the thread it blocks (see {@code docs/GUIDE-threads.md}).
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    /** Whether debug mode is on. */
    public boolean getDebug() {
        return debug;
    }

    /** In debug mode, callbacks that run at least this long are logged as slow (default 100 ms). */
    public void setSlowCallbackDuration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        this.slowCallbackNanos = duration.toNanos();
    }

    /** The slow-callback threshold. */
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    // ---------------------------------------------------------------- checks

    /** Timers in the heap, cancelled ones not yet dropped included. */
    int timerCount() {
        return timers.size();
    }

    void timerCancelled() {
        timers.noteCancelled();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    /** Whether the caller runs on this loop: its thread, or (virtual-thread backend) one of its tasks. */
    final boolean inLoopThread() {
        return owner == Thread.currentThread() || RUNNING.get() == this;
    }

    /** Rejects calls from threads other than the running loop's (and its tasks'). */
    final void checkThread() {
        if (owner != null && !inLoopThread()) {
            throw new IllegalStateException("Non-thread-safe operation invoked on an event loop other than "
                    + "the current one: use callSoonThreadsafe from " + Thread.currentThread());
        }
    }

    /** {@code seconds} as nanoseconds, rounded up and saturated; rejects NaN naming {@code name}. */
    static long secondsToNanos(String name, double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(name + " must be a number, not NaN");
        }
        double nanos = seconds * 1e9;
        if (nanos >= Long.MAX_VALUE / 4.0) {
            return Long.MAX_VALUE / 4;
        }
        if (nanos <= -(Long.MAX_VALUE / 4.0)) {
            return -(Long.MAX_VALUE / 4);
        }
        return (long) Math.ceil(nanos);
    }

    static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? -(Long.MAX_VALUE / 4) : Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "EventLoop[running=" + isRunning() + ", closed=" + closed + ", debug=" + debug
                + ", backend=" + backend.name() + "]";
    }
}
