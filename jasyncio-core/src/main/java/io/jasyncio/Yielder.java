package io.jasyncio;

/**
 * The channel an async generator's body hands its values through: its {@code yield}. The body
 * receives it as its argument ({@code Asyncio.generator(out -> { ... out.yield(v); ... })}).
 *
 * @param <T> the type of the values yielded
 */
public interface Yielder<T> {

    /**
     * Hands {@code value} to the generator's consumer and suspends the body (only the body: the
     * consumer's task goes on) until the consumer asks for the next value: Python's
     * {@code x = yield value}.
     *
     * <p>Must be called from the body itself, on its own stack (not from a task it started).
     *
     * <p>The exception the consumer passes to {@link AsyncGenerator#athrow} comes out of this call
     * unchanged. This method declares no checked exception, so a body that expects a checked one
     * thrown in catches {@code Exception} and tests its type.
     *
     * @param value the value handed to the consumer
     * @return the value the consumer passed to {@link AsyncGenerator#asend}, or null when it
     *     resumed the body with {@link AsyncGenerator#anext()}, {@code hasNext()} or {@code next()}
     * @throws GeneratorExit when the consumer closes the generator while the body waits here; let
     *     it propagate
     * @throws IllegalStateException if called outside the body of the generator that owns this
     *     yielder, or while the generator is not running
     */
    Object yield(T value);
}
