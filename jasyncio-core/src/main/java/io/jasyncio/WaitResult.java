package io.jasyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait(java.util.Collection, double, ReturnWhen)} returns: asyncio's
 * {@code (done, pending)} pair. Both sets hold the very futures that were passed in (each once),
 * in the order they were given, and are unmodifiable.
 *
 * @param done the futures that were done when {@code wait} returned
 * @param pending the futures that were not
 * @param <F> the type of the futures
 */
public record WaitResult<F>(Set<F> done, Set<F> pending) {
}
