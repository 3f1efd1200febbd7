package io.jasyncio;

/**
 * Creates the tasks of a loop, as asyncio's {@code loop.set_task_factory}. Installed with
 * {@link EventLoop#setTaskFactory}; {@link Asyncio#eagerTaskFactory()} is one.
 */
@FunctionalInterface
public interface TaskFactory {

    /**
     * Creates (and schedules) a task running {@code coro}. The returned task must run
     * {@code coro}: the loop hands it to the caller as a {@code Task<T>} of the coroutine's type.
     *
     * @param loop the loop the task belongs to
     * @param coro the coroutine body
     * @param options name, context and eager start requested by the caller (fields may be null)
     */
    Task<?> createTask(EventLoop loop, AsyncCallable<?> coro, TaskOptions options);
}
