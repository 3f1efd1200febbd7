package io.jasyncio;

/**
 * When {@link Asyncio#wait(java.util.Collection, double, ReturnWhen)} returns: asyncio's
 * {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code ALL_COMPLETED} constants.
 * Whatever the choice, {@code wait} also returns when its timeout passes.
 */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /**
     * As soon as any future finishes with an exception; a cancelled future does not count. If
     * none fails, when all are done.
     */
    FIRST_EXCEPTION,
    /** When every future is done (or cancelled). */
    ALL_COMPLETED
}
