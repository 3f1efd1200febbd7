package io.jasyncio;

/**
 * A future of one loop whose outcome is produced by another thread: an executor job
 * ({@link ExecutorJob}) or a wrapped {@link java.util.concurrent.CompletionStage}
 * ({@link StageFuture}). The producing thread hands the outcome over with {@link #post}; it is
 * applied on the loop thread, unless the future is already done (cancelled) by then, in which case
 * it is dropped, as asyncio's {@code _chain_future} does.
 *
 * <p>Until it is done, the future counts as work done on the loop's behalf, which a
 * {@link VirtualClock} waits for in real time instead of jumping over it.
 */
class ExternalFuture<T> extends Future<T> {
    /** Whether this future still counts in its loop's external work. Loop thread only. */
    private boolean counted = true;

    ExternalFuture(EventLoop loop) {
        super(loop);
        loop.externalWorkStarted();
    }

    /**
     * Hands an outcome to the loop, from any thread: {@code error} null means {@code value} is the
     * result. A {@link CancelledError} cancels the future and is the one its awaiters see. Dropped
     * silently when the loop is closed, as nobody can receive it any more.
     */
    final void post(T value, Throwable error) {
        try {
            loop.callSoonThreadsafeInternal(() -> settle(value, error));
        } catch (IllegalStateException closed) {
            // The loop is closed: its tasks are gone, so the outcome has no reader.
        }
    }

    /** Hands a cancellation of the source to the loop, from any thread. */
    final void postCancelled() {
        try {
            loop.callSoonThreadsafeInternal(() -> {
                if (!done()) {
                    release();
                    super.cancel(null);
                }
            });
        } catch (IllegalStateException closed) {
            // As in post: no reader left.
        }
    }

    private void settle(T value, Throwable error) {
        release();
        if (done()) {
            return;
        }
        if (error == null) {
            super.setResult(value);
        } else if (error instanceof CancelledError c) {
            cancelledError = c;
            super.cancel(c.getMessage());
        } else {
            super.setException(error);
        }
    }

    /** Stops counting as external work; idempotent. Loop thread only. */
    private void release() {
        if (counted) {
            counted = false;
            loop.externalWorkDone();
        }
    }

    /** Called on the loop thread once, when this future is cancelled by its user: stop the source if possible. */
    void sourceAbandoned() {
    }

    @Override
    public boolean cancel(String msg) {
        if (!super.cancel(msg)) {
            return false;
        }
        release();
        sourceAbandoned();
        return true;
    }

    @Override
    public void setResult(T value) {
        super.setResult(value);
        release();
    }

    @Override
    public void setException(Throwable exception) {
        super.setException(exception);
        release();
    }
}
