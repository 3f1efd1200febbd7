/**
 * The core of jasyncio: Python's asyncio for Java. The event loop ({@link io.jasyncio.EventLoop}),
 * futures and tasks ({@link io.jasyncio.Future}, {@link io.jasyncio.Task}), the module-level
 * functions as static methods of {@link io.jasyncio.Asyncio} ({@code asyncio.run} is
 * {@link io.jasyncio.Asyncio#run(io.jasyncio.AsyncCallable) Asyncio.run}), structured concurrency and
 * time ({@link io.jasyncio.TaskGroup}, {@link io.jasyncio.Timeout}), the synchronization primitives
 * and queues ({@link io.jasyncio.Lock}, {@link io.jasyncio.Event}, {@link io.jasyncio.Condition},
 * {@link io.jasyncio.Semaphore}, {@link io.jasyncio.Barrier}, {@link io.jasyncio.Queue}), async
 * iteration and generators ({@link io.jasyncio.AsyncIterator}, {@link io.jasyncio.AsyncGenerator}),
 * context variables ({@link io.jasyncio.ContextVar}) and the clocks ({@link io.jasyncio.VirtualClock}
 * for tests).
 *
 * <p><b>Suspension.</b> A task is a stackful coroutine: a method that waits ({@code future.await()},
 * {@code Asyncio.sleep}, {@code lock.acquire()}, {@code queue.get()}...) suspends the whole task,
 * whatever the depth of the call, and the loop runs other tasks meanwhile. Such a method may only
 * be called inside a task; elsewhere it throws {@link java.lang.IllegalStateException}. Each
 * method's documentation says whether and until when it suspends.
 *
 * <p><b>Cancellation</b> follows asyncio 3.11+: {@link io.jasyncio.Task#cancel(String)} makes the
 * task's current (or next) suspension throw {@link io.jasyncio.CancelledError}, an
 * {@link java.lang.Error} so that {@code catch (Exception e)} does not swallow it. Each waiting
 * method's documentation says what a cancellation leaves behind (an item stays in its queue, a
 * lock is passed on, a socket is closed...).
 *
 * <p><b>Threads.</b> Everything here is confined to the loop's thread, as in asyncio; other
 * threads reach a loop through {@link io.jasyncio.EventLoop#callSoonThreadsafe},
 * {@link io.jasyncio.Asyncio#runCoroutineThreadsafe} or {@link io.jasyncio.EventLoopThread}.
 *
 * <p>The differences from asyncio are listed in {@code docs/DIFFERENCES.md}.
 */
package io.jasyncio;
