package io.jasyncio.internal.coro;

/**
 * Thrown inside a task when the JVM cannot suspend its stack, for example inside a class
 * initializer or a native frame. Thrown in the task, where it can be seen, instead of hanging the loop.
 */
public final class PinnedSuspensionError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public PinnedSuspensionError(String reason) {
        super("cannot suspend the task: its stack is pinned (" + reason + "); "
                + "a task may not await inside a class initializer, a native frame or a critical section");
    }
}
