package io.jasyncio;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An iterator whose next value may have to be waited for: Python's asynchronous iterator
 * ({@code __aiter__}/{@code __anext__}). Implement {@link #anext()} (Python's {@code __anext__})
 * and iterate with an ordinary {@code for} loop inside a task, which is {@code async for}:
 *
 * <pre>{@code
 * class Ticks implements AsyncIterator<Integer> {
 *     private int n;
 *     public Integer anext() {
 *         if (n == 3) throw new StopAsyncIteration();
 *         Asyncio.sleep(0.1);              // suspends the task, not the loop
 *         return n++;
 *     }
 * }
 * for (int tick : new Ticks()) { ... }     // async for tick in Ticks()
 * }</pre>
 *
 * <p>The {@code for} loop drives an {@link Iterator} whose {@code hasNext()} calls
 * {@link #anext()} and keeps the value for {@code next()}; so {@code hasNext()} is where the loop
 * suspends, and where {@code anext()}'s exceptions come out. Like Python's {@code __aiter__}
 * returning {@code self}, every {@link #iterator()} draws from this same iterator.
 *
 * <p>An async iterator belongs to one event loop and is used by one task at a time; it is not
 * thread-safe.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface AsyncIterator<T> extends Iterable<T> {

    /**
     * Returns the next value, waiting for it if needed: Python's {@code __anext__}. May suspend
     * the calling task.
     *
     * @return the next value
     * @throws StopAsyncIteration when there are no more values
     * @throws CancelledError if the task is cancelled while waiting
     * @throws Exception whatever else the implementation fails with
     */
    T anext() throws Exception;

    /**
     * Returns the next value, or {@code defaultValue} when there are no more: Python's
     * {@code anext(iterator, default)}. May suspend the calling task. What {@link #anext()} throws
     * other than {@link StopAsyncIteration} comes out unchanged (checked exceptions included,
     * although none is declared).
     *
     * @param defaultValue the value to return at the end of the iteration
     * @return the next value, or {@code defaultValue}
     * @throws CancelledError if the task is cancelled while waiting
     */
    default T anext(T defaultValue) {
        try {
            return anext();
        } catch (StopAsyncIteration end) {
            return defaultValue;
        } catch (Exception e) {
            throw Throwables.rethrow(e);
        }
    }

    /**
     * A view of this iterator for Java's {@code for} loop and other {@link Iterator} users. Its
     * {@code hasNext()} calls {@link #anext()} (and so may suspend the task and throws what
     * {@code anext()} throws, checked exceptions included); its {@code next()} returns the value
     * {@code hasNext()} fetched, or throws {@link StopAsyncIteration} at the end.
     */
    @Override
    default Iterator<T> iterator() {
        return new AsyncIteratorView<>(this);
    }

    /**
     * Collects the remaining values into a list: Python's {@code [v async for v in it]}. Suspends
     * the task as {@link #anext()} does. What {@code anext()} throws (other than the
     * {@link StopAsyncIteration} that ends the list) comes out unchanged, checked exceptions
     * included, and the values read so far are lost.
     *
     * @return the remaining values, in order
     * @throws CancelledError if the task is cancelled meanwhile (the values read so far are lost)
     */
    default List<T> toList() {
        List<T> values = new ArrayList<>();
        for (T value : this) {
            values.add(value);
        }
        return values;
    }

    /**
     * A sequential {@link Stream} of the remaining values. It is lazy and honest about suspension:
     * its terminal operation pulls values one at a time through {@link #iterator()}, and each pull
     * may suspend the calling task, so the terminal operation must run inside a task, on the
     * loop's thread. Never hand it to other threads (no {@code parallel()}): the values can only be
     * fetched by the task that owns the loop. Exceptions of {@link #anext()} come out of the
     * terminal operation unchanged.
     */
    default Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }
}
