package io.jasyncio;

import java.util.NoSuchElementException;

/**
 * An async iterator has no more values: Python's {@code StopAsyncIteration}, thrown by
 * {@link AsyncIterator#anext()} and by {@link AsyncGenerator#next()} at the end of iteration.
 *
 * <p>It is a {@link NoSuchElementException}, so an async iterator that runs out honours
 * {@link java.util.Iterator#next()}'s contract with the same exception. It carries no stack trace:
 * it marks the normal end of an iteration, and is thrown once per iteration.
 *
 * <p>An async generator's body must not let one escape: as in Python, the generator turns it into
 * an {@link IllegalStateException} ("async generator raised StopAsyncIteration"), so that an
 * exhausted inner iterator cannot silently end the outer one.
 */
public class StopAsyncIteration extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /** Creates the end-of-iteration signal. */
    public StopAsyncIteration() {
        super(null, null);
    }

    /** Creates the end-of-iteration signal with a message. */
    public StopAsyncIteration(String message) {
        super(message, null);
    }

    /** No stack trace: the signal is control flow, not a failure. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
