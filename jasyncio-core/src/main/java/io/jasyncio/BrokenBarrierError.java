package io.jasyncio;

/**
 * A {@link Barrier} was aborted, or reset while a task was waiting at it: asyncio's
 * {@code BrokenBarrierError}. Unchecked, like asyncio's (a {@code RuntimeError}); unlike
 * {@link java.util.concurrent.BrokenBarrierException}, which is checked.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with a message saying what broke the barrier. */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
