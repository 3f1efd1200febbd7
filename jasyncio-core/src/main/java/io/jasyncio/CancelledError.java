package io.jasyncio;

/**
 * The operation was cancelled: thrown inside a task at its next suspension after
 * {@link Task#cancel()}, and by {@link Future#result()} and {@link Future#await()} of a cancelled future.
 *
 * <p>Like asyncio's {@code CancelledError}, which is a {@code BaseException}, this is an
 * {@link Error} so that {@code catch (Exception e)} does not swallow a cancellation. Code that
 * catches it to clean up should rethrow it (or call {@link Task#uncancel()} if it really means to
 * go on).
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates a cancellation with no message. */
    public CancelledError() {
        super();
    }

    /** Creates a cancellation carrying the message given to {@code cancel(msg)}, or null. */
    public CancelledError(String message) {
        super(message);
    }
}
