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

    /** The backend's name as reported to users: {@code continuation} or {@code virtual}. */
    String name();
}
