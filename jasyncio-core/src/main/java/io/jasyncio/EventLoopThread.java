package io.jasyncio;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An event loop running on a platform thread of its own, for applications whose other threads
 * (a servlet container's, a scheduler's, a UI's, another loop's) hand work to coroutines. Not in
 * asyncio, where the same is done by hand with a {@code threading.Thread} running the loop; this
 * class adds the orderly shutdown {@link Asyncio#run} would do.
 *
 * <pre>{@code
 * try (var loopThread = EventLoopThread.start("app-loop")) {
 *     CompletableFuture<String> reply = loopThread.submit(() -> service.lookup(id));
 *     String value = reply.get(2, TimeUnit.SECONDS);  // on timeout, reply.cancel(true) cancels the task
 * }
 * }</pre>
 *
 * <p>The loop runs under a {@link Runner} until {@link #close()}: then the tasks still pending are
 * cancelled and awaited, the default executor is shut down (its running jobs are waited for, up
 * to 300 seconds), and the loop is closed. {@link #submit} and {@link #loop()} may be used from any
 * thread, and at once: work submitted before the thread has started runs as soon as it has.
 */
public final class EventLoopThread implements AutoCloseable {
    private final EventLoop loop;
    private final Future<Void> stopRequested;
    private final Thread thread;

    private EventLoopThread(String name, Supplier<EventLoop> loopFactory) {
        this.loop = Objects.requireNonNull(loopFactory.get(), "loopFactory returned null");
        this.stopRequested = new Future<>(loop);
        this.thread = Thread.ofPlatform().name(name).unstarted(this::runLoop);
    }

    /**
     * Starts a new loop on the real clock on a new platform thread named {@code name}.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static EventLoopThread start(String name) {
        return start(name, EventLoop::newEventLoop);
    }

    /**
     * Starts the loop made by {@code loopFactory} (called on this thread) on a new platform thread
     * named {@code name}.
     */
    public static EventLoopThread start(String name, Supplier<EventLoop> loopFactory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loopFactory, "loopFactory");
        EventLoopThread t = new EventLoopThread(name, loopFactory);
        t.thread.start();
        return t;
    }

    private void runLoop() {
        try (Runner runner = new Runner(() -> loop, null)) {
            runner.run(stopRequested::await);
        }
    }

    /** The loop; from other threads use only its thread-safe methods, such as {@link EventLoop#callSoonThreadsafe}. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * The platform thread running the loop. On the virtual-thread backend it runs the loop on a
     * virtual thread of the same name and waits for it (see {@link EventLoop#runForever()}), so
     * callbacks and tasks see that virtual thread as the current thread.
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs {@code coro} as a task of this loop: {@link Asyncio#runCoroutineThreadsafe}, with the
     * same result, exception and cancellation rules.
     *
     * @throws IllegalStateException if the loop was closed
     */
    public <T> CompletableFuture<T> submit(AsyncCallable<T> coro) {
        return Asyncio.runCoroutineThreadsafe(coro, loop);
    }

    /** As {@link #submit(AsyncCallable)} for a coroutine without a result. */
    public CompletableFuture<Void> submit(AsyncRunnable coro) {
        return Asyncio.runCoroutineThreadsafe(coro, loop);
    }

    /**
     * Stops the loop the way {@link Asyncio#run} ends (cancels and awaits the pending tasks, shuts
     * down the default executor, closes the loop) and waits for its thread to end. Idempotent. If
     * the calling thread is interrupted meanwhile it still waits, then restores the interrupt.
     *
     * @throws IllegalStateException if called from the loop's own thread, which cannot wait for itself
     */
    @Override
    public void close() {
        if (Thread.currentThread() == thread || loop.inLoopThread()) {
            throw new IllegalStateException("EventLoopThread.close() called from its own loop: it would wait for itself");
        }
        try {
            loop.callSoonThreadsafe(() -> {
                if (!stopRequested.done()) {
                    stopRequested.setResult(null);
                }
            });
        } catch (IllegalStateException alreadyClosed) {
            // The loop has ended already; only the join is left.
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventLoopThread[" + thread.getName() + ", " + loop + "]";
    }
}
