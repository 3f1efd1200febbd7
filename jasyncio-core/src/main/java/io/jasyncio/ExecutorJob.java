package io.jasyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;

/**
 * One {@link EventLoop#runInExecutor} call: the future the loop hands out, and the job the executor
 * runs. Like asyncio's {@code run_in_executor} (a {@code concurrent.futures.Future} chained to a
 * loop future), cancelling the future before the executor starts the job keeps the job from ever
 * running; once it runs, it is not interrupted and its outcome is dropped.
 */
final class ExecutorJob<T> extends ExternalFuture<T> implements Runnable {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(ExecutorJob.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Callable<T> fn;
    /** Set by whichever comes first: the worker starting the job, or the loop cancelling it. */
    @SuppressWarnings("unused")
    private volatile boolean claimed;

    ExecutorJob(EventLoop loop, Callable<T> fn) {
        super(loop);
        this.fn = fn;
    }

    /** Runs on the executor's thread. */
    @Override
    public void run() {
        if (!CLAIMED.compareAndSet(this, false, true)) {
            return;
        }
        T value = null;
        Throwable error = null;
        try {
            value = fn.call();
        } catch (Throwable e) {
            error = e;
        }
        post(value, error);
    }

    @Override
    void sourceAbandoned() {
        CLAIMED.compareAndSet(this, false, true);
    }
}
