package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Futures in the order they complete: what {@link Asyncio#asCompleted(java.util.Collection)}
 * returns, asyncio's {@code as_completed} iterator (3.13). It offers both of asyncio's ways to
 * consume it, which share one count of remaining items (each future is delivered once, whichever
 * way takes it):
 *
 * <ul>
 * <li>Iterating this object is asyncio's {@code async for}: {@code next()} suspends the current
 * task until the next future completes and returns that future itself, so the caller can tell
 * which one it is.
 * <pre>{@code
 * for (Future<Integer> t : Asyncio.asCompleted(tasks)) {
 *     int r = t.await();          // done already: does not suspend
 * }
 * }</pre>
 * <li>Iterating {@link #awaitables()} is asyncio's plain {@code for}: {@code next()} returns at
 * once an {@link AsyncCallable} that, when called, suspends until the next future completes and
 * returns its result (or throws its exception). Which future that is gets decided when it is
 * called, not when it was obtained.
 * <pre>{@code
 * for (AsyncCallable<Integer> next : Asyncio.asCompleted(tasks).awaitables()) {
 *     int r = next.call();
 * }
 * }</pre>
 * </ul>
 *
 * <p><b>Timeout.</b> With a timeout, counted from the {@code asCompleted} call, every wait that
 * would end after the deadline throws {@link TimeoutError} instead; the futures are not cancelled.
 * Futures that completed before the deadline are still delivered first.
 *
 * <p><b>Cancellation.</b> Cancelling a task waiting in {@code next()} (or in an awaitable's
 * {@code call()}) raises {@link CancelledError} there and loses no future: the wait takes nothing,
 * the remaining count goes back up, and a completion it was woken for goes to the next waiter.
 *
 * <p>Not thread-safe: use it from tasks of its loop.
 *
 * @param <T> the result type of the futures
 */
public final class AsCompleted<T> implements Iterable<Future<T>> {
    private final EventLoop loop;
    /** The futures not yet completed; emptied at once by the timeout. */
    private final Set<Future<T>> todo;
    /** Completed futures not yet handed out, in completion order. */
    private final ArrayDeque<Future<T>> done = new ArrayDeque<>();
    /** How many waits must end in TimeoutError: one per future still pending at the deadline. */
    private int timeouts;
    /** Tasks waiting for the next item, first come first served. */
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final Consumer<Future<T>> onCompletion = this::handleCompletion;
    private TimerHandle timeoutHandle;
    private int todoLeft;

    /** Watches {@code futures} (distinct, of {@code loop}) for at most {@code timeoutNanos} ({@link Asyncio#NO_TIMEOUT}: no limit). */
    AsCompleted(EventLoop loop, Set<Future<T>> futures, long timeoutNanos) {
        this.loop = loop;
        this.todo = new LinkedHashSet<>(futures);
        this.todoLeft = todo.size();
        Context context = loop.currentContext();
        for (Future<T> f : todo) {
            f.addDoneCallback(onCompletion, context);
        }
        if (!todo.isEmpty() && timeoutNanos != Asyncio.NO_TIMEOUT) {
            timeoutHandle = loop.callLaterInternal(timeoutNanos, this::handleTimeout);
        }
    }

    /**
     * asyncio's {@code async for}: an iterator whose {@code next()} suspends the current task
     * until the next future completes, and returns it. {@code hasNext()} never suspends.
     * {@code next()} throws {@link TimeoutError} once the timeout has passed,
     * {@link CancelledError} if the waiting task is cancelled, and {@link IllegalStateException}
     * outside a task. Every iterator continues where the previous one stopped.
     */
    @Override
    public Iterator<Future<T>> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return todoLeft > 0;
            }

            @Override
            public Future<T> next() {
                take();
                return waitForOne();
            }
        };
    }

    /**
     * asyncio's plain {@code for}: an iterable whose iterator's {@code next()} returns at once an
     * awaitable for the next result. Calling that {@link AsyncCallable} suspends until the next
     * future completes and returns its result, or throws its exception, {@link TimeoutError}
     * once the timeout has passed, or {@link CancelledError}. Each awaitable may be called once
     * ({@link IllegalStateException} after that, as asyncio refuses to await a coroutine twice).
     */
    public Iterable<AsyncCallable<T>> awaitables() {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return todoLeft > 0;
            }

            @Override
            public AsyncCallable<T> next() {
                take();
                return new NextResult();
            }
        };
    }

    private void take() {
        if (todoLeft == 0) {
            throw new NoSuchElementException("every future has been delivered");
        }
        todoLeft--;
    }

    /** An awaitable of the plain form: asyncio's {@code _wait_for_one(resolve=True)} coroutine. */
    private final class NextResult implements AsyncCallable<T> {
        private boolean called;

        @Override
        public T call() {
            if (called) {
                throw new IllegalStateException("cannot reuse an already awaited as_completed awaitable");
            }
            called = true;
            return waitForOne().result();
        }
    }

    /** Suspends until an item is available and takes it: asyncio's {@code Queue.get}. */
    private Future<T> waitForOne() {
        while (done.isEmpty() && timeouts == 0) {
            Future<Void> getter = new Future<>(loop);
            getters.add(getter);
            try {
                getter.await();
            } catch (Throwable e) {
                getter.cancel();
                getters.remove(getter);
                // Nothing was taken: the item this wait counted stays available.
                todoLeft++;
                if ((!done.isEmpty() || timeouts > 0) && !getter.cancelled()) {
                    // We were woken for an item but will not take it: pass the wake-up on.
                    wakeNextGetter();
                }
                throw e;
            }
        }
        Future<T> f = done.poll();
        if (f != null) {
            return f;
        }
        timeouts--;
        throw new TimeoutError();
    }

    private void wakeNextGetter() {
        Future<Void> getter;
        while ((getter = getters.poll()) != null) {
            if (!getter.done()) {
                getter.setResult(null);
                return;
            }
        }
    }

    private void handleCompletion(Future<T> f) {
        if (todo.isEmpty()) {
            return;  // the timeout came first
        }
        todo.remove(f);
        done.add(f);
        wakeNextGetter();
        if (todo.isEmpty() && timeoutHandle != null) {
            timeoutHandle.cancel();
        }
    }

    private void handleTimeout() {
        for (Future<T> f : todo) {
            f.removeDoneCallback(onCompletion);
            timeouts++;
            wakeNextGetter();
        }
        todo.clear();
    }

    @Override
    public String toString() {
        return "AsCompleted[remaining=" + todoLeft + ", completed=" + done.size() + "]";
    }
}
