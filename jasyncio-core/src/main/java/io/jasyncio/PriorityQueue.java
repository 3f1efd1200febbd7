package io.jasyncio;

import java.util.Comparator;

/**
 * A {@link Queue} that returns the smallest item first: asyncio's {@code PriorityQueue}. Items are
 * ordered by their natural ordering ({@link Comparable}) or by a {@link Comparator}. Suspension,
 * fairness among waiting tasks, cancellation, {@code taskDone}/{@code join} and {@code shutdown}
 * are those of {@link Queue}.
 *
 * <pre>{@code
 * record Job(int priority, String name) {}
 * var jobs = new PriorityQueue<Job>(Comparator.comparingInt(Job::priority));
 * jobs.putNowait(new Job(2, "later"));
 * jobs.putNowait(new Job(1, "first"));
 * jobs.getNowait().name();   // "first"
 * }</pre>
 *
 * <p>The items live in a binary heap kept exactly as Python's {@code heapq} keeps it, so items that
 * compare equal come out in the same order as from asyncio's {@code PriorityQueue}, which is not
 * their insertion order (add a sequence number to the key for that).
 *
 * @param <E> the type of the items
 */
public class PriorityQueue<E> extends Queue<E> {
    private final Comparator<? super E> comparator;

    /**
     * Creates an unbounded queue ordering its items by their natural ordering.
     * {@link #put}/{@link #putNowait} throw {@link ClassCastException} for an item that cannot be
     * compared with the others, which are then left unchanged.
     */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items ({@code maxsize <= 0}: unbounded),
     * ordered by their natural ordering; see {@link #PriorityQueue()}.
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** Creates an unbounded queue ordering its items with {@code comparator} (null: natural ordering). */
    public PriorityQueue(Comparator<? super E> comparator) {
        this(0, comparator);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items ({@code maxsize <= 0}: unbounded),
     * ordered with {@code comparator} (null: natural ordering).
     */
    public PriorityQueue(int maxsize, Comparator<? super E> comparator) {
        super(maxsize);
        this.comparator = comparator;
    }

    /** The comparator given to the constructor, or null for natural ordering. */
    public Comparator<? super E> comparator() {
        return comparator;
    }

    /**
     * heapq's {@code heappush}: the new item moves up from the end while it is smaller than its
     * parent. The comparisons run before any item moves, so a failing comparison leaves the heap
     * intact and the item out.
     */
    @Override
    void store(E item) {
        Object[] heap = items;
        int pos = count;
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (less(item, heap[parent])) {
                pos = parent;
            } else {
                break;
            }
        }
        if (count == heap.length) {
            heap = grow();
        }
        for (int hole = count; hole > pos; ) {
            int parent = (hole - 1) >>> 1;
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[pos] = item;
        count++;
    }

    /**
     * heapq's {@code heappop}: the last item fills the root's place by moving down along the
     * smaller children to a leaf, then back up while smaller than its parent.
     */
    @Override
    E retrieve() {
        Object[] heap = items;
        int end = --count;
        Object last = heap[end];
        heap[end] = null;
        if (end == 0) {
            return cast(last);
        }
        E top = cast(heap[0]);
        int pos = 0;
        int child = 1;
        while (child < end) {
            int right = child + 1;
            if (right < end && !less(heap[child], heap[right])) {
                child = right;
            }
            heap[pos] = heap[child];
            pos = child;
            child = 2 * pos + 1;
        }
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (less(last, heap[parent])) {
                heap[pos] = heap[parent];
                pos = parent;
            } else {
                break;
            }
        }
        heap[pos] = last;
        return top;
    }

    @SuppressWarnings("unchecked")
    private boolean less(Object a, Object b) {
        Comparator<? super E> c = comparator;
        if (c != null) {
            return c.compare((E) a, (E) b) < 0;
        }
        return ((Comparable<Object>) a).compareTo(b) < 0;
    }

    @SuppressWarnings("unchecked")
    private static <E> E cast(Object o) {
        return (E) o;
    }
}
