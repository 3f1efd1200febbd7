package io.jasyncio;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Flow.Publisher} read as an async generator: made by {@link Asyncio#fromPublisher}.
 * The generator's body subscribes on its first iteration, keeps at most {@code prefetch} items
 * requested and not yet consumed, and cancels the subscription when it ends early (closed,
 * cancelled, collected). Publisher signals may come from any thread; they are queued and wake the
 * body through the loop. All calls on the subscription come from the body, on the loop's thread,
 * so they are serial (rule 2.7).
 */
final class PublisherSource<T> implements AsyncGenerator.Body<T>, Flow.Subscriber<T> {
    /** Stands for "no more calls on the subscription": the body ended, or a second one arrived. */
    private static final Flow.Subscription DONE = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };

    private final Flow.Publisher<? extends T> publisher;
    private final int prefetch;
    /** Consumed items after which the body requests as many more: three quarters of prefetch. */
    private final int batch;
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final AtomicReference<Future<Void>> waiter = new AtomicReference<>();
    private volatile boolean terminated;
    private volatile Throwable error;
    private EventLoop loop;

    PublisherSource(Flow.Publisher<? extends T> publisher, int prefetch) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
        }
        this.prefetch = prefetch;
        this.batch = Math.max(1, prefetch - (prefetch >> 2));
    }

    @Override
    public void generate(Yielder<T> out) {
        loop = EventLoop.running();
        publisher.subscribe(this);
        try {
            Flow.Subscription requested = null;
            int consumed = 0;
            while (true) {
                if (requested == null && (requested = activeSubscription()) != null) {
                    requested.request(prefetch);
                }
                boolean ended = terminated;
                T item = items.poll();
                if (item != null) {
                    out.yield(item);
                    if (++consumed == batch) {
                        consumed = 0;
                        requested.request(batch);
                    }
                } else if (ended) {
                    Throwable e = error;
                    if (e != null) {
                        throw Throwables.rethrow(e);
                    }
                    return;
                } else {
                    awaitSignal(requested != null);
                }
            }
        } finally {
            Flow.Subscription s = subscription.getAndSet(DONE);
            if (s != null && s != DONE && !terminated) {
                s.cancel();
            }
        }
    }

    private Flow.Subscription activeSubscription() {
        Flow.Subscription s = subscription.get();
        return s == DONE ? null : s;
    }

    /** Suspends until the publisher signals something the body has not seen yet. */
    private void awaitSignal(boolean subscribed) {
        Future<Void> f = loop.createFuture();
        waiter.set(f);
        try {
            if (items.isEmpty() && !terminated && (subscribed || subscription.get() == null)) {
                f.await();
            }
        } finally {
            waiter.compareAndSet(f, null);
        }
    }

    private void wakeBody() {
        Future<Void> f = waiter.getAndSet(null);
        if (f == null) {
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> {
                if (!f.done()) {
                    f.setResult(null);
                }
            });
        } catch (IllegalStateException loopClosed) {
            // The consumer's loop is gone: no one is left to read the signal.
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        if (!subscription.compareAndSet(null, s)) {
            // A second subscription, or the body has already ended (rule 2.5).
            s.cancel();
            return;
        }
        wakeBody();
    }

    @Override
    public void onNext(T item) {
        items.add(Objects.requireNonNull(item, "item (rule 2.13: onNext must not be called with null)"));
        wakeBody();
    }

    @Override
    public void onError(Throwable throwable) {
        error = Objects.requireNonNull(throwable, "throwable");
        terminated = true;
        wakeBody();
    }

    @Override
    public void onComplete() {
        terminated = true;
        wakeBody();
    }
}
