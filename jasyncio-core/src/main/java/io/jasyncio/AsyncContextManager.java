package io.jasyncio;

/**
 * An asynchronous context manager: Python's {@code __aenter__}/{@code __aexit__} pair, entered
 * with {@link Asyncio#with(AsyncContextManager, Block)}, which is {@code async with}:
 *
 * <pre>{@code
 * String page = Asyncio.with(new Session(url), session -> session.get("/"));
 * }</pre>
 *
 * <p>{@code with} calls {@link #aenter()}, passes its result to the block, then calls
 * {@link #aexit(Throwable)} with the block's exception (or null), exactly as Python's
 * {@code async with}: {@code aexit} sees the exception and may suppress it, and an exception
 * {@code aexit} throws replaces the block's. Both methods may suspend the task.
 *
 * <p>Java's own form of {@code async with} is try-with-resources on an {@link AutoCloseable}
 * whose opening and {@code close()} may suspend (a stackful task can suspend anywhere). That
 * form suits managers that only release something; it differs in two ways, because Java decides
 * them: {@code close()} never learns the body's exception and cannot suppress it, and if both the
 * body and {@code close()} throw, the body's exception propagates with the other added as
 * suppressed. Use this interface when {@code __aexit__} must see or replace the exception (a
 * transaction that rolls back, a timeout that turns cancellation into a timeout error).
 *
 * <p><b>Cancellation.</b> If the task is cancelled inside the block, {@link CancelledError}
 * reaches {@code aexit} like any exception; {@code aexit} may await (the cancellation has been
 * delivered), and returning true suppresses the cancellation, as it does in Python (asyncio
 * discourages it; call {@link Task#uncancel()} if you mean it).
 *
 * @param <T> the type of the value bound by {@code as}
 */
public interface AsyncContextManager<T> {

    /**
     * Enters the context and returns the value the block receives: Python's {@code __aenter__}.
     * May suspend the task. If it throws, neither the block nor {@link #aexit} runs.
     */
    T aenter() throws Exception;

    /**
     * Leaves the context: Python's {@code __aexit__}. May suspend the task.
     *
     * @param exception what the block threw, or null if it completed normally
     * @return true to suppress {@code exception} (the {@code with} call then returns null);
     *     ignored when {@code exception} is null
     * @throws Exception to replace the block's exception (or to fail a block that completed)
     */
    boolean aexit(Throwable exception) throws Exception;

    /**
     * The block of an {@code async with}: receives the value of {@link #aenter()}, may suspend
     * the task, and may return a value.
     *
     * @param <T> the type of the value received
     * @param <R> the type of the block's result
     */
    @FunctionalInterface
    interface Block<T, R> {

        /** Runs the block with the value the manager entered. */
        R run(T value) throws Exception;
    }
}
