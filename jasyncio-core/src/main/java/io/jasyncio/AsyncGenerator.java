package io.jasyncio;

import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * An asynchronous generator: Python's {@code async def} with {@code yield}. Its body, a
 * {@link Body}, both awaits (suspending the whole task that iterates it) and yields values to its
 * consumer through a {@link Yielder}. Created by {@link Asyncio#generator(Body)}:
 *
 * <pre>{@code
 * AsyncGenerator<Integer> numbers = Asyncio.generator(out -> {
 *     for (int i = 0; i < 3; i++) {
 *         Asyncio.sleep(0.1);     // await: suspends the consumer's task
 *         out.yield(i);           // yield: hands i to the consumer
 *     }
 * });
 * for (int v : numbers) { ... }   // async for v in numbers
 * }</pre>
 *
 * <p><b>Running.</b> Nothing runs until the first {@link #anext()}, {@link #hasNext()} or
 * {@link #asend}. Each of these runs the body on the calling task's stack until its next yield or
 * its end, so they suspend the calling task whenever the body awaits, and must be called on the
 * loop's thread (from a task, or from a callback if the body does not await). While the body runs
 * or awaits, the generator is <em>running</em>: any other call on it fails with
 * {@link IllegalStateException} ("asynchronous generator is already running"), as in Python.
 * The body runs in the context of the task that resumes it.
 *
 * <p><b>Ending.</b> When the body returns, {@link #anext()} throws {@link StopAsyncIteration} and
 * {@link #hasNext()} returns false. When it throws, that exception comes out of the call that ran
 * it, unchanged, and the generator is finished. If the task is cancelled while the body awaits,
 * {@link CancelledError} is raised in the body at the await; the body's {@code finally} blocks run,
 * and the cancellation comes out of the consumer's call.
 *
 * <p><b>Closing.</b> {@link #aclose()} (also {@link #close()}, so try-with-resources is Python's
 * {@code contextlib.aclosing}) raises {@link GeneratorExit} at the yield where the body waits,
 * so its {@code finally} blocks run and may await. Breaking out of a {@code for} loop does not
 * close the generator (as in Python). A generator left unfinished is closed by its loop: by
 * {@link EventLoop#shutdownAsyncgens()}, which {@link Asyncio#run} and {@link Runner#close()} call,
 * or, once the generator becomes garbage, by a task the loop starts for it (asyncio's asyncgen
 * finalizer hook). Both need the generator to have been iterated once on that loop.
 *
 * <p>Not thread-safe: use a generator from the tasks of one loop.
 *
 * @param <T> the type of the values yielded
 */
public final class AsyncGenerator<T> implements AsyncIterator<T>, Iterator<T>, AutoCloseable {

    /**
     * The body of an async generator: Python's {@code async def} function body containing
     * {@code yield}. It may await anything a task may, and yields through {@code out}.
     *
     * @param <T> the type of the values yielded
     */
    @FunctionalInterface
    public interface Body<T> {

        /** Runs the body, yielding its values through {@code out}; returning ends the iteration. */
        void generate(Yielder<T> out) throws Exception;
    }

    private final AsyncGeneratorCore<T> core;
    private boolean hooksInitialized;
    /** A value {@link #hasNext()} fetched for {@link #next()}. */
    private T lookahead;
    private boolean hasLookahead;

    AsyncGenerator(Body<T> body) {
        Objects.requireNonNull(body, "body");
        this.core = new AsyncGeneratorCore<>(body, body.getClass().getName());
    }

    /**
     * Runs the body to its next yield and returns the value: Python's {@code await anext(gen)}.
     * Returns a value {@link #hasNext()} already fetched, if any, without running the body.
     * Suspends the calling task whenever the body awaits. Any other exception of the body comes
     * out unchanged (checked exceptions included, although none is declared), and the generator is
     * then finished.
     *
     * @return the value the body yielded
     * @throws StopAsyncIteration if the body has returned (now or before)
     * @throws IllegalStateException if the generator is already running, if the body let a
     *     {@link StopAsyncIteration} escape, or if no loop runs on this thread
     * @throws CancelledError if the task is cancelled while the body awaits
     */
    @Override
    public T anext() {
        if (hasLookahead) {
            return takeLookahead();
        }
        initHooks();
        if (core.advance("anext()", null, null)) {
            return core.takeYielded();
        }
        core.rethrowFailure();
        throw new StopAsyncIteration();
    }

    /**
     * Resumes the body with {@code value} as the result of its pending {@link Yielder#yield} and
     * returns the next value it yields: Python's {@code await gen.asend(value)}. The first call
     * must send null (the body has no pending yield yet). Suspends the calling task whenever the
     * body awaits; other exceptions of the body come out unchanged, as from {@link #anext()}.
     *
     * @param value the result of the body's pending {@code yield}
     * @return the next value the body yields
     * @throws IllegalArgumentException if {@code value} is not null and the body has not started
     * @throws IllegalStateException if {@link #hasNext()} fetched a value not yet taken by
     *     {@link #next()} (the body's pending yield has already been answered), or if the
     *     generator is already running
     * @throws StopAsyncIteration if the body returns instead of yielding
     * @throws CancelledError if the task is cancelled while the body awaits
     */
    public T asend(Object value) {
        checkNoLookahead("asend()");
        initHooks();
        if (core.advance("anext()", value, null)) {
            return core.takeYielded();
        }
        core.rethrowFailure();
        throw new StopAsyncIteration();
    }

    /**
     * Raises {@code exception} inside the body at its pending {@link Yielder#yield} and returns the
     * next value the body yields: Python's {@code await gen.athrow(exception)}. If the body has
     * not started, it never will: {@code exception} is thrown back and the generator is finished.
     * A finished generator ignores the call and returns null (CPython 3.14). Suspends the calling
     * task whenever the body awaits. If the body does not catch {@code exception}, it comes out of
     * this call; it and any other exception of the body come out unchanged (checked exceptions
     * included, although none is declared).
     *
     * @param exception the exception to raise at the body's pending yield
     * @return the next value the body yields, or null for a finished generator
     * @throws StopAsyncIteration if the body returns instead of yielding, or if the generator
     *     ignored an earlier {@link #aclose()}
     * @throws IllegalStateException if the generator is already running, or as {@link #asend}
     * @throws CancelledError if the task is cancelled while the body awaits
     */
    public T athrow(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        checkNoLookahead("athrow()");
        initHooks();
        boolean wasFinished = core.isFinished();
        if (core.throwIn(exception)) {
            return core.takeYielded();
        }
        if (wasFinished) {
            return null;
        }
        core.rethrowFailure();
        throw new StopAsyncIteration();
    }

    /**
     * Closes the generator: Python's {@code await gen.aclose()}. If the body waits at a yield,
     * raises {@link GeneratorExit} there and runs the body to its end, so its {@code finally}
     * blocks run (suspending the task if they await). A body that has not started never runs. A
     * finished generator is left as is. A value {@link #hasNext()} fetched is dropped. Afterwards
     * {@link #anext()} throws {@link StopAsyncIteration}. An exception other than
     * {@link GeneratorExit} that the body throws while closing comes out unchanged (checked
     * exceptions included, although none is declared).
     *
     * @throws IllegalStateException if the body yields again instead of finishing ("async
     *     generator ignored GeneratorExit"; it stays suspended at that yield), or if the generator
     *     is already running
     * @throws StopAsyncIteration if the generator ignored an earlier close
     * @throws CancelledError if the task is cancelled while the body's finally blocks await
     */
    public void aclose() {
        lookahead = null;
        hasLookahead = false;
        initHooks();
        core.close();
    }

    /** Same as {@link #aclose()}, so that try-with-resources closes the generator. */
    @Override
    public void close() {
        aclose();
    }

    /**
     * Whether the body yields another value: runs it to its next yield (suspending the task if it
     * awaits) and keeps the value for {@link #next()}. Returns false once the body has returned.
     * Any other exception of the body comes out unchanged (checked exceptions included, although
     * none is declared), and the generator is then finished.
     *
     * @return whether {@link #next()} has a value to return
     * @throws IllegalStateException if the generator is already running, or if the body let a
     *     {@link StopAsyncIteration} escape
     * @throws CancelledError if the task is cancelled while the body awaits
     */
    @Override
    public boolean hasNext() {
        if (hasLookahead) {
            return true;
        }
        initHooks();
        if (core.advance("anext()", null, null)) {
            lookahead = core.takeYielded();
            hasLookahead = true;
            return true;
        }
        core.rethrowFailure();
        return false;
    }

    /**
     * The next value: the one {@link #hasNext()} fetched, else as {@link #anext()}.
     *
     * @throws StopAsyncIteration at the end (it is a {@link java.util.NoSuchElementException})
     */
    @Override
    public T next() {
        return anext();
    }

    /** This generator: like Python's {@code __aiter__}, iterating a generator again continues it. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /**
     * A sequential stream of the remaining values; see {@link AsyncIterator#stream()}. Closing the
     * stream closes the generator.
     */
    @Override
    public Stream<T> stream() {
        return AsyncIterator.super.stream().onClose(this::aclose);
    }

    /** Whether the body is running or its task is suspended inside it: Python's {@code ag_running}. */
    public boolean isRunning() {
        return core.isRunning();
    }

    /** Whether the body has finished (returned, thrown, or been closed): the generator yields no more. */
    public boolean isFinished() {
        return core.isFinished();
    }

    private T takeLookahead() {
        T value = lookahead;
        lookahead = null;
        hasLookahead = false;
        return value;
    }

    private void checkNoLookahead(String method) {
        if (hasLookahead) {
            throw new IllegalStateException(method + ": a value fetched by hasNext() is waiting for next(): " + this);
        }
    }

    /** asyncio's firstiter hook runs at the first anext, asend, athrow or aclose. */
    private void initHooks() {
        if (hooksInitialized) {
            return;
        }
        hooksInitialized = true;
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            loop.asyncgens.firstIter(this, core);
        }
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
