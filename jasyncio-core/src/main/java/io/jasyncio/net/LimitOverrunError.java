package io.jasyncio.net;

import java.io.IOException;

/**
 * {@link StreamReader#readuntil} found no separator within the reader's limit: asyncio's
 * {@code LimitOverrunError}. The data stays in the reader's buffer; {@link #consumed()} tells how
 * many bytes to consume to get past what was searched.
 */
public class LimitOverrunError extends IOException {
    private static final long serialVersionUID = 1L;

    /** @serial the number of bytes to be consumed */
    private final int consumed;

    /**
     * Creates the error.
     *
     * @param message what went wrong
     * @param consumed the number of bytes to be consumed
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** The number of bytes to be consumed. */
    public int consumed() {
        return consumed;
    }
}
