package io.jasyncio;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A loop future mirroring a {@link CompletionStage}: what {@link Asyncio#wrapFuture} returns. The
 * stage's outcome is delivered on the loop thread; its exception arrives unwrapped from the
 * {@link CompletionException} that dependent stages add; its cancellation cancels this future.
 * Cancelling this future cancels the stage when it is a {@link java.util.concurrent.Future}.
 */
final class StageFuture<T> extends ExternalFuture<T> implements BiConsumer<T, Throwable> {
    private final CompletionStage<T> stage;

    StageFuture(EventLoop loop, CompletionStage<T> stage) {
        super(loop);
        this.stage = stage;
    }

    /** The stage completed; called on whatever thread completed it. */
    @Override
    public void accept(T value, Throwable error) {
        if (error == null) {
            post(value, null);
            return;
        }
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CancellationException) {
            postCancelled();
        } else {
            post(null, cause);
        }
    }

    @Override
    void sourceAbandoned() {
        if (stage instanceof java.util.concurrent.Future<?> f) {
            // true: stages that can stop their work on interruption do (the JDK HttpClient aborts the exchange).
            f.cancel(true);
        }
    }
}
