package io.jasyncio.internal.coro;

/**
 * A body of code that can suspend its whole stack and be resumed later, on the loop's thread of
 * control. Exactly one coroutine of a loop runs at a time: {@link #resume()} returns when the body
 * suspends or finishes.
 */
public interface Coroutine {

    /**
     * Runs the body until it calls {@link #suspend()} or returns. Must not be called from inside
     * this coroutine.
     */
    void resume();

    /**
     * Suspends the body, returning control to the caller of {@link #resume()}. Must be called from
     * inside this coroutine.
     *
     * @throws PinnedSuspensionError if the JVM cannot suspend the current stack
     */
    void suspend();

    /** Whether the body has returned. */
    boolean isDone();

    /** The frames of the suspended body, innermost first, or an empty array when unavailable. */
    StackTraceElement[] stackTrace();

    /**
     * The thread the body runs on while resumed, when it has one of its own (the virtual-thread
     * backend); null when it runs on the thread that resumes it. May be read from any thread.
     */
    Thread bodyThread();
}
