package io.jasyncio;

/**
 * A {@link Queue} that returns the most recently added item first: asyncio's {@code LifoQueue}.
 * Suspension, fairness among waiting tasks, cancellation, {@code taskDone}/{@code join} and
 * {@code shutdown} are those of {@link Queue}.
 *
 * <pre>{@code
 * var stack = new LifoQueue<Integer>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait();   // 2
 * }</pre>
 *
 * @param <E> the type of the items
 */
public class LifoQueue<E> extends Queue<E> {

    /** Creates an unbounded LIFO queue. */
    public LifoQueue() {
        super();
    }

    /** Creates a LIFO queue holding at most {@code maxsize} items; {@code maxsize <= 0} means unbounded. */
    public LifoQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    E retrieve() {
        int last = (head + count - 1) & (items.length - 1);
        @SuppressWarnings("unchecked")
        E item = (E) items[last];
        items[last] = null;
        count--;
        return item;
    }
}
