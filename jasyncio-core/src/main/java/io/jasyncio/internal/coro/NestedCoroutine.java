package io.jasyncio.internal.coro;

/**
 * A coroutine started from inside another one, as an async generator's body is started from the
 * task that iterates it. Its {@link #suspend()} returns control to whoever called
 * {@link #resume()} (the enclosing coroutine goes on running), while a suspension of the enclosing
 * coroutine requested from inside this body suspends both, and a later resume of the enclosing
 * coroutine continues inside this body. Nested coroutines may nest further.
 */
public interface NestedCoroutine extends Coroutine {

    /**
     * Whether the calling code runs in this coroutine's body rather than outside it or inside
     * another nested coroutine started from it.
     */
    boolean isCurrent();
}
