package io.jasyncio;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link AsyncIterator} as a {@link Flow.Publisher}: made by {@link Asyncio#toPublisher}. One
 * subscriber; a task on the iterator's loop pulls a value only when the subscriber has demand
 * for it, and signals the subscriber from that task.
 */
final class IteratorPublisher<T> implements Flow.Publisher<T> {
    private final EventLoop loop;
    private final AsyncIterator<T> source;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    IteratorPublisher(EventLoop loop, AsyncIterator<T> source) {
        this.loop = loop;
        this.source = source;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            reject(subscriber, new IllegalStateException(
                    "this publisher of an async iterator has a subscriber already: " + source));
            return;
        }
        Emission<T> emission = new Emission<>(loop, source, subscriber);
        try {
            loop.callSoonThreadsafe(emission::start);
        } catch (IllegalStateException loopClosed) {
            reject(subscriber, loopClosed);
        }
    }

    /** Rule 1.9: a subscriber always gets onSubscribe first, even when it is refused. */
    private static void reject(Flow.Subscriber<?> subscriber, Throwable reason) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(reason);
    }

    /** The subscription: demand from any thread, signals from one task on the loop. */
    private static final class Emission<T> implements Flow.Subscription {
        /** What the pump task is doing; tells a cancellation what to interrupt. */
        private enum Phase { WAITING_FOR_DEMAND, PULLING, SIGNALLING }

        private static final long NO_BAD_REQUEST = 1;

        private final EventLoop loop;
        private final AsyncIterator<T> source;
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;
        /** A non-positive request, reported as the spec's rule 3.9 requires; {@link #NO_BAD_REQUEST} when none. */
        private volatile long badRequest = NO_BAD_REQUEST;
        /** True while the pump waits for demand: only then does a request need to wake it. */
        private volatile boolean waiting;
        // Loop thread only:
        private Task<Void> pump;
        private Phase phase = Phase.WAITING_FOR_DEMAND;
        private Future<Void> demandArrived;

        Emission(EventLoop loop, AsyncIterator<T> source, Flow.Subscriber<? super T> subscriber) {
            this.loop = loop;
            this.source = source;
            this.subscriber = subscriber;
        }

        void start() {
            pump = loop.createTask(() -> {
                run();
                return null;
            });
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n;
            } else {
                long before;
                long after;
                do {
                    before = demand.get();
                    after = before + n < 0 ? Long.MAX_VALUE : before + n;
                } while (!demand.compareAndSet(before, after));
            }
            if (waiting) {
                wakeFromAnyThread();
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            wakeFromAnyThread();
        }

        private void wakeFromAnyThread() {
            try {
                loop.callSoonThreadsafe(this::wake);
            } catch (IllegalStateException loopClosed) {
                // Nothing is left to wake: a request or cancel after the loop closed does nothing.
            }
        }

        /** On the loop, while the pump is suspended: let it see new demand or a cancellation. */
        private void wake() {
            Future<Void> f = demandArrived;
            if (f != null && !f.done()) {
                f.setResult(null);
            } else if (cancelled && phase == Phase.PULLING && pump != null) {
                // The source is awaiting something: interrupt it rather than wait for its value.
                pump.cancel();
            }
        }

        private void run() {
            subscriber.onSubscribe(this);
            try {
                pumpValues();
            } finally {
                if (cancelled) {
                    closeSource();
                }
            }
        }

        private void pumpValues() {
            Iterator<T> values = source.iterator();
            while (true) {
                awaitDemand();
                if (cancelled) {
                    return;
                }
                if (badRequest != NO_BAD_REQUEST) {
                    cancelled = true;
                    signal(() -> subscriber.onError(new IllegalArgumentException(
                            "a subscriber must request a positive number of items (rule 3.9): " + badRequest)));
                    return;
                }
                T value;
                phase = Phase.PULLING;
                try {
                    if (!values.hasNext()) {
                        signal(subscriber::onComplete);
                        return;
                    }
                    value = values.next();
                } catch (CancelledError e) {
                    if (cancelled) {
                        return;
                    }
                    signal(() -> subscriber.onError(e));
                    throw e;
                } catch (Throwable e) {
                    signal(() -> subscriber.onError(e));
                    return;
                }
                demand.decrementAndGet();
                signal(() -> subscriber.onNext(value));
            }
        }

        private void awaitDemand() {
            while (demand.get() == 0 && !cancelled && badRequest == NO_BAD_REQUEST) {
                phase = Phase.WAITING_FOR_DEMAND;
                Future<Void> f = loop.createFuture();
                demandArrived = f;
                waiting = true;
                try {
                    if (demand.get() == 0 && !cancelled && badRequest == NO_BAD_REQUEST) {
                        f.await();
                    }
                } finally {
                    waiting = false;
                    demandArrived = null;
                }
            }
        }

        /** Calls the subscriber; one that throws (rule 2.13) loses its subscription. */
        private void signal(Runnable call) {
            phase = Phase.SIGNALLING;
            try {
                call.run();
            } catch (Throwable e) {
                cancelled = true;
                Map<String, Object> context = new HashMap<>();
                context.put("message", "Flow.Subscriber " + subscriber + " threw; its subscription is cancelled");
                context.put("exception", e);
                loop.callExceptionHandler(context);
            }
        }

        private void closeSource() {
            if (source instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    Map<String, Object> context = new HashMap<>();
                    context.put("message", "closing " + source + " after its subscriber cancelled failed");
                    context.put("exception", e);
                    loop.callExceptionHandler(context);
                }
            }
        }
    }
}
