package io.jasyncio;

/**
 * An operation ran out of time: raised by {@code Asyncio.waitFor} and {@code Asyncio.timeout}
 * when their deadline passes, replacing the {@link CancelledError} they used to stop the work.
 * asyncio's {@code TimeoutError} (the builtin one since Python 3.11).
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with no message. */
    public TimeoutError() {
        super();
    }

    /** Creates the error with a message. */
    public TimeoutError(String message) {
        super(message);
    }
}
