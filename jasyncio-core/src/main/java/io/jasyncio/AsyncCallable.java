package io.jasyncio;

/**
 * A coroutine function returning a value: asyncio's {@code async def f(): return x}. Calling
 * {@link #call()} inside a task runs it inline, exactly as {@code await f()}; to run it
 * concurrently pass it to {@link Asyncio#createTask(AsyncCallable)}. The body may suspend the task
 * (await futures, sleep, take locks) and may throw any exception, which the task stores unchanged.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncCallable<T> {

    /**
     * Runs the coroutine body in the calling task. May suspend that task whenever the body awaits.
     *
     * @return the coroutine's result
     * @throws CancelledError if the task is cancelled while the body is suspended, unless the body
     *     handles it
     * @throws Exception whatever else the body throws
     */
    T call() throws Exception;
}
