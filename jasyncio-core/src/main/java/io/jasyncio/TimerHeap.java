package io.jasyncio;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by deadline, then by scheduling order. Each timer
 * knows its index, which makes the rebuild after mass cancellation linear.
 */
final class TimerHeap {
    /** asyncio's _MIN_SCHEDULED_TIMER_HANDLES: below this size cancelled timers are just popped lazily. */
    static final int MIN_SCHEDULED_FOR_CLEANUP = 100;

    private TimerHandle[] heap = new TimerHandle[64];
    private int size;
    private int cancelledCount;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerHandle peek() {
        return heap[0];
    }

    void add(TimerHandle t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.heapIndex = size;
        siftUp(size++);
    }

    TimerHandle poll() {
        TimerHandle top = heap[0];
        removeAt(0);
        if (top.cancelled()) {
            cancelledCount--;
        }
        return top;
    }

    /**
     * Counts a cancellation, and rebuilds the heap at once when cancelled timers dominate, so a
     * task that arms and disarms timeouts without ever suspending cannot grow it without bound.
     */
    void noteCancelled() {
        cancelledCount++;
        if (mostlyCancelled()) {
            rebuildWithoutCancelled();
        }
    }

    /**
     * Drops cancelled timers: all of them when they are more than half of a large heap (asyncio's
     * rule), otherwise only those at the top, so the next deadline is a live one.
     */
    void purgeCancelled() {
        if (mostlyCancelled()) {
            rebuildWithoutCancelled();
        } else {
            while (size > 0 && heap[0].cancelled()) {
                removeAt(0);
                cancelledCount--;
            }
        }
    }

    private boolean mostlyCancelled() {
        return size > MIN_SCHEDULED_FOR_CLEANUP && cancelledCount * 2 > size;
    }

    private void rebuildWithoutCancelled() {
        int live = 0;
        for (int i = 0; i < size; i++) {
            TimerHandle t = heap[i];
            if (t.cancelled()) {
                t.heapIndex = -1;
            } else {
                heap[live++] = t;
            }
        }
        Arrays.fill(heap, live, size, null);
        size = live;
        cancelledCount = 0;
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = i;
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void removeAt(int i) {
        TimerHandle removed = heap[i];
        removed.heapIndex = -1;
        int last = --size;
        if (i != last) {
            heap[i] = heap[last];
            heap[i].heapIndex = i;
            heap[last] = null;
            siftDown(i);
            siftUp(i);
        } else {
            heap[last] = null;
        }
    }

    private void siftUp(int i) {
        TimerHandle t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerHandle p = heap[parent];
            if (!t.isBefore(p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerHandle t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            TimerHandle c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].isBefore(c)) {
                child = right;
                c = heap[child];
            }
            if (!c.isBefore(t)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
