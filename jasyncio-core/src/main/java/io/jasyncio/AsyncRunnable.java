package io.jasyncio;

/**
 * A coroutine function without a result ({@code async def f(): ...} returning {@code None}).
 * The body may suspend the task and may throw any exception.
 */
@FunctionalInterface
public interface AsyncRunnable {

    /**
     * Runs the coroutine body in the calling task. May suspend that task whenever the body awaits.
     *
     * @throws CancelledError if the task is cancelled while the body is suspended, unless the body
     *     handles it
     * @throws Exception whatever else the body throws
     */
    void run() throws Exception;

    /** This body as an {@link AsyncCallable} whose result is {@code null}. */
    default AsyncCallable<Void> asCallable() {
        return () -> {
            run();
            return null;
        };
    }
}
