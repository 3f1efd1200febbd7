package io.jasyncio;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A first-in first-out queue for producer and consumer tasks of one event loop: asyncio's
 * {@code Queue}. {@link #put} suspends while the queue is full, {@link #get} while it is empty;
 * {@link #putNowait} and {@link #getNowait} never suspend and throw {@link QueueFull} and
 * {@link QueueEmpty} instead. {@link #taskDone()} and {@link #join()} let a producer wait until
 * every item it put has been processed, and {@link #shutdown} (3.13) ends the queue's life.
 *
 * <pre>{@code
 * var queue = new Queue<String>(10);
 * Asyncio.createTask(() -> {
 *     while (true) {
 *         String job = queue.get();
 *         handle(job);
 *         queue.taskDone();
 *     }
 * });
 * queue.put("a");
 * queue.join();   // returns once "a" was handled
 * }</pre>
 *
 * <p><b>Fairness.</b> Waiting getters and putters are served in the order they started waiting. A
 * waiter is woken when an item (or a free slot) appears, and takes it when it resumes; if another
 * task took it meanwhile, the waiter queues again at the end.
 *
 * <p><b>Cancellation.</b> No item is lost or duplicated: items stay in the queue until a getter
 * resumes and takes one, so a getter cancelled after it was woken takes nothing and passes its
 * wake-up to the next getter; a putter cancelled while waiting inserts nothing and, if it had been
 * woken for a free slot, passes that on to the next putter.
 *
 * <p>Items may not be null (unlike Python's {@code None}). As in asyncio, {@link #qsize()} is exact:
 * only one task of the loop runs at a time. Not thread-safe: use it from the tasks and callbacks of
 * one loop; the queue binds to the running loop the first time a task waits on it.
 *
 * @param <E> the type of the items
 */
public class Queue<E> {
    private static final int INITIAL_CAPACITY = 16;

    private final int maxsize;
    private final Waiters getters = new Waiters();
    private final Waiters putters = new Waiters();
    private final Event finished = new Event();
    private int unfinishedTasks;
    private boolean isShutdown;
    private EventLoop loop;

    /** The items: a ring buffer for FIFO and LIFO order, a heap from index 0 for priority order. */
    Object[] items = new Object[INITIAL_CAPACITY];
    /** Index of the oldest item in {@link #items}; always 0 for a priority queue. */
    int head;
    /** Number of items. */
    int count;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items; {@code maxsize <= 0} means unbounded,
     * as in asyncio.
     */
    public Queue(int maxsize) {
        this.maxsize = maxsize;
        finished.set();
    }

    /** The number of items in the queue. */
    public int qsize() {
        return count;
    }

    /** The capacity given to the constructor; 0 or less for an unbounded queue. */
    public int maxsize() {
        return maxsize;
    }

    /** Whether the queue has no item. */
    public boolean empty() {
        return count == 0;
    }

    /** Whether the queue holds {@link #maxsize()} items; never true for an unbounded queue. */
    public boolean full() {
        return maxsize > 0 && count >= maxsize;
    }

    /**
     * Puts {@code item} in the queue: asyncio's {@code await queue.put(item)}. Returns without
     * suspending if there is room; otherwise suspends the current task until a slot is free.
     *
     * @throws QueueShutDown if the queue is shut down, now or while this task waits
     * @throws CancelledError if the task is cancelled while waiting; the item is then not inserted
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if it must wait outside a task, or the queue is bound to
     *     another loop
     */
    public void put(E item) {
        Objects.requireNonNull(item, "item");
        while (full()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            awaitTurn(putters, false);
        }
        putNowait(item);
    }

    /**
     * Puts {@code item} in the queue if there is room, without suspending, and wakes the oldest
     * waiting getter: asyncio's {@code put_nowait}.
     *
     * @throws QueueShutDown if the queue is shut down
     * @throws QueueFull if the queue is full
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "item");
        if (isShutdown) {
            throw new QueueShutDown();
        }
        if (full()) {
            throw new QueueFull(maxsize);
        }
        store(item);
        unfinishedTasks++;
        finished.clear();
        getters.wakeNextRemoving();
    }

    /**
     * Removes and returns the next item: asyncio's {@code await queue.get()}. Returns without
     * suspending if the queue has an item; otherwise suspends the current task until one arrives.
     *
     * @throws QueueShutDown if the queue is shut down and empty, now or while this task waits (an
     *     immediate shutdown empties it)
     * @throws CancelledError if the task is cancelled while waiting; it then takes no item
     * @throws IllegalStateException if it must wait outside a task, or the queue is bound to
     *     another loop
     */
    public E get() {
        while (count == 0) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            awaitTurn(getters, true);
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item if there is one, without suspending, and wakes the oldest
     * waiting putter: asyncio's {@code get_nowait}.
     *
     * @throws QueueShutDown if the queue is shut down and empty
     * @throws QueueEmpty if the queue is empty
     */
    public E getNowait() {
        if (count == 0) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        E item = retrieve();
        putters.wakeNextRemoving();
        return item;
    }

    /**
     * Suspends on a new waiter of {@code list} until a put or get wakes it. On the way out by an
     * exception, a wake-up this task got but can no longer use goes to the next waiter.
     */
    private void awaitTurn(Waiters list, boolean getter) {
        loop = Waiters.bind(loop, this);
        Waiters.Waiter w = list.add(loop);
        try {
            w.await();
        } catch (Throwable e) {
            // Still pending only if the suspension itself failed: then it must not count as woken.
            w.cancel();
            list.remove(w);
            boolean usable = getter ? count > 0 : !full();
            if (usable && !w.cancelled()) {
                list.wakeNextRemoving();
            }
            throw e;
        }
    }

    /**
     * Tells the queue that one item taken with {@link #get} has been processed: asyncio's
     * {@code task_done()}. When every item put has been processed, {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio's ValueError)
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        if (--unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Waits until every item put in the queue has been processed ({@link #taskDone()} called once
     * per item): asyncio's {@code await queue.join()}. Returns at once if none is pending; otherwise
     * suspends the current task. Several tasks may wait; all of them are woken together.
     *
     * @throws CancelledError if the task is cancelled while waiting; the queue is not affected
     * @throws IllegalStateException if it must wait outside a task
     */
    public void join() {
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /** Shuts the queue down without draining it: {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down: asyncio's {@code shutdown(immediate)} (3.13). Afterwards every
     * {@link #put}/{@link #putNowait} throws {@link QueueShutDown}, and so do {@link #get}/
     * {@link #getNowait} once the queue is empty. Every task waiting in {@code put} or {@code get}
     * is woken: a putter throws {@link QueueShutDown}; a getter takes an item if one is left and
     * throws {@link QueueShutDown} otherwise. Does not suspend.
     *
     * @param immediate also remove the items left in the queue, counting each as processed for
     *     {@link #join()}, which returns once no item taken earlier is still unprocessed
     */
    public void shutdown(boolean immediate) {
        isShutdown = true;
        if (immediate) {
            unfinishedTasks = Math.max(0, unfinishedTasks - count);
            clearItems();
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        getters.wakeAllRemoving();
        putters.wakeAllRemoving();
    }

    // ---------------------------------------------------------------- storage
    // asyncio's overridable _put and _get: FIFO here, LifoQueue and PriorityQueue override them.

    /** Adds {@code item} to the storage. */
    void store(E item) {
        addLast(item);
    }

    /** Removes and returns the next item; the queue is not empty. */
    E retrieve() {
        @SuppressWarnings("unchecked")
        E item = (E) items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        count--;
        return item;
    }

    final void addLast(E item) {
        Object[] a = items;
        if (count == a.length) {
            a = grow();
        }
        a[(head + count) & (a.length - 1)] = item;
        count++;
    }

    /** Doubles the storage, moving the items to the start of the new array in order. */
    final Object[] grow() {
        Object[] a = items;
        Object[] b = new Object[a.length << 1];
        int firstPart = Math.min(count, a.length - head);
        System.arraycopy(a, head, b, 0, firstPart);
        System.arraycopy(a, 0, b, firstPart, count - firstPart);
        head = 0;
        items = b;
        return b;
    }

    private void clearItems() {
        Arrays.fill(items, null);
        head = 0;
        count = 0;
    }

    /**
     * The queue's state for debugging, e.g. {@code Queue[maxsize=10, items=[a, b], getters:1, tasks=2]}
     * (items in storage order, which for a priority queue is heap order).
     */
    @Override
    public String toString() {
        StringJoiner itemList = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < count; i++) {
            itemList.add(String.valueOf(items[(head + i) & (items.length - 1)]));
        }
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
        if (count > 0) {
            s.append(", items=").append(itemList);
        }
        if (!getters.isEmpty()) {
            s.append(", getters:").append(getters.size());
        }
        if (!putters.isEmpty()) {
            s.append(", putters:").append(putters.size());
        }
        if (unfinishedTasks > 0) {
            s.append(", tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            s.append(", shutdown");
        }
        return s.append(']').toString();
    }
}
