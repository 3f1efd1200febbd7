package io.jasyncio;

/**
 * A future or task was asked for something its state does not allow: a result that is not ready,
 * a second result, an exception of a pending future. asyncio's {@code InvalidStateError}.
 */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with a message describing the state. */
    public InvalidStateError(String message) {
        super(message);
    }
}
