package io.jasyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link CompletableFuture} mirroring a loop {@link Future}: what {@link Future#asCompletableFuture()}
 * and {@link Asyncio#runCoroutineThreadsafe} return. It completes on the loop thread with the
 * future's outcome (the exception unchanged; a cancelled future cancels it), and
 * {@link #cancel(boolean)} from any thread cancels the future on its loop, as asyncio's
 * {@code _chain_future} links a {@code concurrent.futures.Future} to a loop future.
 */
final class LoopCompletableFuture<T> extends CompletableFuture<T> {
    private static final VarHandle CANCEL_SENT;

    static {
        try {
            CANCEL_SENT = MethodHandles.lookup().findVarHandle(LoopCompletableFuture.class, "cancelSent", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    /** The mirrored future; null until {@link #attach} (a submitted coroutine's task does not exist yet). */
    private volatile Future<T> source;
    /** Set once the source's cancellation is scheduled, by whichever of cancel() and attach() sees both sides. */
    @SuppressWarnings("unused")
    private volatile boolean cancelSent;

    LoopCompletableFuture(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Starts mirroring {@code f}. Called on the loop thread (or while the loop is not running). A
     * source already done is mirrored at once; otherwise on the loop iteration after it completes.
     */
    void attach(Future<T> f) {
        source = f;
        if (f.done()) {
            copySource();
        } else {
            f.addWaiter(new Mirror());
        }
        if (isCancelled()) {
            // Through the inbox, as asyncio's call_soon_threadsafe: a submitted task takes its first step first.
            cancelSource(f, false);
        }
    }

    /**
     * Cancels this future and the mirrored one: at once on the loop's thread, through the loop
     * from any other thread. Never throws, even when the loop is closed (then only this future is
     * cancelled).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            Future<T> f = source;
            if (f != null) {
                cancelSource(f, loop.inLoopThread());
            }
        }
        return cancelled;
    }

    private void cancelSource(Future<T> f, boolean atOnce) {
        if (!CANCEL_SENT.compareAndSet(this, false, true)) {
            return;
        }
        if (atOnce) {
            f.cancel();
            return;
        }
        try {
            loop.callSoonThreadsafeInternal(f::cancel);
        } catch (IllegalStateException closed) {
            // The loop is closed: the source can no longer change, nothing to cancel.
        }
    }

    /** Copies the source's outcome; on the loop thread once the source is done. */
    private void copySource() {
        Future<T> f = source;
        if (f.cancelled()) {
            super.cancel(false);
            return;
        }
        Throwable e = f.exception();
        if (e != null) {
            completeExceptionally(e);
        } else {
            complete(f.result());
        }
    }

    /** The source's waiter: copies its outcome when it completes. */
    private final class Mirror extends Ready {
        @Override
        void runReady() {
            copySource();
        }

        @Override
        public String toString() {
            return "mirror of " + source + " to a CompletableFuture";
        }
    }
}
