package io.jasyncio.internal.coro;

/** Creates coroutines. Two implementations: JDK continuations and virtual threads. */
public interface CoroutineBackend {

    /** Creates a coroutine that runs {@code body} on its first {@link Coroutine#resume()}. */
    Coroutine create(Runnable body);

    /**
     * Creates a coroutine that runs {@code body} inside whichever coroutine (or plain thread)
     * calls its {@link Coroutine#resume()}; see {@link NestedCoroutine}.
     */
    NestedCoroutine createNested(Runnable body);

    /**
     * Runs an event loop's iterations, {@code loop}, on the thread this backend's coroutines are
     * cheapest to hand control to and from, and returns when it returns: in place by default.
     */
    default void runLoop(Runnable loop) {
        loop.run();
    }

    /** The backend's name as reported to users: {@code continuation} or {@code virtual}. */
    String name();
}
