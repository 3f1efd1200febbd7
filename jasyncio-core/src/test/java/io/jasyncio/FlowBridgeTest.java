package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Asyncio#toPublisher} and {@link Asyncio#fromPublisher}: async iteration meets java.util.concurrent.Flow. */
class FlowBridgeTest {

    private static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** Records every signal, with the thread it arrived on. */
    static class Recorder<T> implements Flow.Subscriber<T> {
        final List<Object> items = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile Flow.Subscription subscription;
        volatile Throwable error;
        volatile boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            threads.add(Thread.currentThread().getName());
            subscription = s;
        }

        @Override
        public void onNext(T item) {
            threads.add(Thread.currentThread().getName());
            items.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            threads.add(Thread.currentThread().getName());
            error = throwable;
        }

        @Override
        public void onComplete() {
            threads.add(Thread.currentThread().getName());
            completed = true;
        }
    }

    /** Yields 0..n-1 and logs each production and its closing. */
    private static AsyncGenerator<Integer> producing(int n, List<String> log) {
        return Asyncio.generator(out -> {
            try {
                for (int i = 0; i < n; i++) {
                    log.add("produce " + i + " at " + Asyncio.getRunningLoop().time());
                    out.yield(i);
                }
            } finally {
                log.add("generator closed");
            }
        });
    }

    // ---------------------------------------------------------------- toPublisher

    @Test
    void completionIsSignalledOnceTheSubscriberAsksBeyondTheLastValue() {
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            Asyncio.toPublisher(producing(2, new ArrayList<>())).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(2);
            Asyncio.sleep(1);
            assertEquals(List.of(0, 1), sub.items);
            assertFalse(sub.completed);
            sub.subscription.request(1);
            Asyncio.sleep(1);
            return null;
        });
        assertTrue(sub.completed);
    }

    @Test
    void publisherPullsOnlyAsManyValuesAsRequested() {
        List<String> log = new ArrayList<>();
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            Asyncio.toPublisher(producing(5, log)).subscribe(sub);
            Asyncio.sleep(1);
            assertNotNull(sub.subscription);
            assertEquals(List.of(), log);
            sub.subscription.request(2);
            Asyncio.sleep(1);
            assertEquals(List.of(0, 1), sub.items);
            assertEquals(2, log.size());
            sub.subscription.request(Long.MAX_VALUE);
            sub.subscription.request(Long.MAX_VALUE);
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), sub.items);
        assertTrue(sub.completed);
        assertNull(sub.error);
    }

    @Test
    void slowSubscriberHoldsTheGeneratorBack() {
        List<String> log = new ArrayList<>();
        List<Double> received = new ArrayList<>();
        Recorder<Integer> sub = new Recorder<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                super.onSubscribe(s);
                s.request(1);
            }

            @Override
            public void onNext(Integer item) {
                super.onNext(item);
                EventLoop loop = Asyncio.getRunningLoop();
                received.add(loop.time());
                loop.callLater(1, () -> subscription.request(1));
            }
        };
        run(() -> {
            Asyncio.toPublisher(producing(4, log)).subscribe(sub);
            Asyncio.sleep(10);
            return null;
        });
        assertEquals(List.of("produce 0 at 0.0", "produce 1 at 1.0", "produce 2 at 2.0", "produce 3 at 3.0",
                "generator closed"), log);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), received);
        assertTrue(sub.completed);
    }

    @Test
    void cancelStopsPullingAndClosesTheGenerator() {
        List<String> log = new ArrayList<>();
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            Asyncio.toPublisher(producing(100, log)).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(2);
            Asyncio.sleep(1);
            sub.subscription.cancel();
            sub.subscription.request(10);
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of(0, 1), sub.items);
        assertEquals(List.of("produce 0 at 1.0", "produce 1 at 1.0", "generator closed"), log);
        assertFalse(sub.completed);
    }

    @Test
    void cancelWhileTheGeneratorAwaitsInterruptsTheAwait() {
        List<String> log = new ArrayList<>();
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            AsyncGenerator<Integer> slow = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(100);
                    out.yield(1);
                } finally {
                    log.add("closed at " + Asyncio.getRunningLoop().time());
                }
            });
            Asyncio.toPublisher(slow).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(1);
            Asyncio.sleep(1);
            sub.subscription.cancel();
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of("closed at 2.0"), log);
        assertEquals(List.of(), sub.items);
        assertNull(sub.error);
    }

    @Test
    void sourceExceptionIsSignalledWithOnErrorUnchanged() {
        IOException boom = new IOException("boom");
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            AsyncGenerator<Integer> failing = Asyncio.generator(out -> {
                out.yield(1);
                throw boom;
            });
            Asyncio.toPublisher(failing).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(5);
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of(1), sub.items);
        assertSame(boom, sub.error);
        assertFalse(sub.completed);
    }

    @Test
    void nonPositiveRequestIsAnsweredWithOnErrorIllegalArgumentException() {
        List<String> log = new ArrayList<>();
        Recorder<Integer> sub = new Recorder<>();
        run(() -> {
            Asyncio.toPublisher(producing(3, log)).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(1);
            Asyncio.sleep(1);
            sub.subscription.request(0);
            Asyncio.sleep(1);
            return null;
        });
        assertInstanceOf(IllegalArgumentException.class, sub.error);
        assertEquals("a subscriber must request a positive number of items (rule 3.9): 0", sub.error.getMessage());
        assertEquals(List.of(0), sub.items);
        assertEquals(List.of("produce 0 at 1.0", "generator closed"), log);
    }

    @Test
    void secondSubscriberIsRejectedWithOnError() {
        Recorder<Integer> first = new Recorder<>();
        Recorder<Integer> second = new Recorder<>();
        run(() -> {
            Flow.Publisher<Integer> publisher = Asyncio.toPublisher(producing(1, new ArrayList<>()));
            publisher.subscribe(first);
            publisher.subscribe(second);
            Asyncio.sleep(1);
            first.subscription.request(1);
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of(0), first.items);
        assertNotNull(second.subscription);
        assertInstanceOf(IllegalStateException.class, second.error);
        assertTrue(second.error.getMessage().startsWith("this publisher of an async iterator has a subscriber already"));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriberOnAnotherThreadIsSignalledOnTheLoopThread() throws Exception {
        Recorder<Integer> sub = new Recorder<>();
        String[] loopThread = new String[1];
        run(() -> {
            loopThread[0] = Thread.currentThread().getName();
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> allDelivered = loop.createFuture();
            Recorder<Integer> watcher = new Recorder<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    sub.onSubscribe(s);
                    s.request(4);
                }

                @Override
                public void onNext(Integer item) {
                    sub.onNext(item);
                }

                @Override
                public void onComplete() {
                    sub.onComplete();
                    allDelivered.setResult(null);
                }
            };
            Flow.Publisher<Integer> publisher = Asyncio.toPublisher(producing(3, new ArrayList<>()));
            Thread.ofPlatform().start(() -> publisher.subscribe(watcher)).join();
            allDelivered.await();
            return null;
        });
        assertEquals(List.of(0, 1, 2), sub.items);
        assertEquals(5, sub.threads.size());
        for (String t : sub.threads) {
            assertEquals(loopThread[0], t);
        }
    }

    @Test
    void subscriberThrowingFromOnNextLosesItsSubscriptionAndIsReported() {
        List<String> log = new ArrayList<>();
        List<Map<String, Object>> reports = new ArrayList<>();
        IllegalStateException bug = new IllegalStateException("subscriber bug");
        Recorder<Integer> sub = new Recorder<>() {
            @Override
            public void onNext(Integer item) {
                super.onNext(item);
                throw bug;
            }
        };
        run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context));
            Asyncio.toPublisher(producing(5, log)).subscribe(sub);
            Asyncio.sleep(1);
            sub.subscription.request(5);
            Asyncio.sleep(1);
            return null;
        });
        assertEquals(List.of(0), sub.items);
        assertEquals(List.of("produce 0 at 1.0", "generator closed"), log);
        assertEquals(1, reports.size());
        assertSame(bug, reports.get(0).get("exception"));
    }

    @Test
    void subscriberOfAPublisherWhoseLoopIsClosedGetsOnError() {
        Flow.Publisher<Integer> orphan = run(() -> Asyncio.toPublisher(producing(1, new ArrayList<>())));
        Recorder<Integer> sub = new Recorder<>();
        orphan.subscribe(sub);
        assertNotNull(sub.subscription);
        assertInstanceOf(IllegalStateException.class, sub.error);
        assertEquals("Event loop is closed", sub.error.getMessage());
    }

    @Test
    void toPublisherNeedsARunningLoop() {
        AsyncGenerator<Integer> gen = Asyncio.generator(out -> out.yield(1));
        assertEquals("no running event loop", assertThrows(IllegalStateException.class, () -> Asyncio.toPublisher(gen)).getMessage());
    }

    // ---------------------------------------------------------------- fromPublisher

    /** Emits 0, 1, 2... synchronously inside request(n), up to {@code limit}, then completes. */
    static class ScriptedPublisher implements Flow.Publisher<Integer> {
        final List<Long> requests = new ArrayList<>();
        final int limit;
        boolean cancelled;
        int next;
        Flow.Subscriber<? super Integer> subscriber;

        ScriptedPublisher(int limit) {
            this.limit = limit;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                    for (long k = 0; k < n && next < limit; k++) {
                        s.onNext(next++);
                    }
                    if (next == limit) {
                        next++;
                        s.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }
    }

    @Test
    void fromPublisherIteratesEveryItemThenEnds() {
        ScriptedPublisher publisher = new ScriptedPublisher(5);
        assertEquals(List.of(0, 1, 2, 3, 4), run(() -> Asyncio.fromPublisher(publisher, 2).toList()));
        assertFalse(publisher.cancelled);
    }

    @Test
    void prefetchBoundsWhatIsRequestedAheadOfASlowConsumer() {
        ScriptedPublisher publisher = new ScriptedPublisher(Integer.MAX_VALUE);
        List<Integer> taken = run(() -> {
            List<Integer> out = new ArrayList<>();
            try (AsyncGenerator<Integer> items = Asyncio.fromPublisher(publisher, 4)) {
                for (int v : items) {
                    long requested = publisher.requests.stream().mapToLong(Long::longValue).sum();
                    assertTrue(requested - v <= 4 + 1, "requested " + requested + " with item " + v + " in hand");
                    out.add(v);
                    Asyncio.sleep(1);
                    if (out.size() == 10) {
                        break;
                    }
                }
            }
            return out;
        });
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), taken);
        assertEquals(List.of(4L, 3L, 3L, 3L), publisher.requests);
        assertTrue(publisher.cancelled, "closing the generator cancels the subscription");
    }

    @Test
    void nothingIsRequestedBeforeTheFirstIteration() {
        ScriptedPublisher publisher = new ScriptedPublisher(3);
        run(() -> {
            AsyncGenerator<Integer> items = Asyncio.fromPublisher(publisher, 2);
            Asyncio.sleep(1);
            assertNull(publisher.subscriber);
            assertEquals(0, items.anext());
            assertEquals(List.of(2L), publisher.requests);
            items.aclose();
            return null;
        });
        assertTrue(publisher.cancelled);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fromPublisherWaitsForItemsSignalledFromAnotherThread() throws Exception {
        ExecutorService delivery = Executors.newSingleThreadExecutor();
        try (SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(delivery, 8)) {
            Thread producer = Thread.ofPlatform().unstarted(() -> {
                for (int i = 0; i < 100; i++) {
                    publisher.submit(i);
                }
                publisher.close();
            });
            List<Integer> values = run(() -> {
                AsyncGenerator<Integer> items = Asyncio.fromPublisher(publisher, 4);
                Task<List<Integer>> consumer = Asyncio.createTask(items::toList);
                Asyncio.sleep(0);
                assertEquals(1, publisher.getNumberOfSubscribers(), "subscribed by the first iteration");
                producer.start();
                return consumer.await();
            });
            producer.join();
            assertEquals(100, values.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, values.get(i));
            }
        } finally {
            delivery.shutdownNow();
        }
    }

    @Test
    void publisherErrorComesOutOfTheIterationUnchanged() {
        IOException boom = new IOException("stream broke");
        Flow.Publisher<Integer> failing = s -> s.onSubscribe(new Flow.Subscription() {
            private boolean sent;

            @Override
            public void request(long n) {
                if (!sent) {
                    sent = true;
                    s.onNext(1);
                    s.onError(boom);
                }
            }

            @Override
            public void cancel() {
            }
        });
        List<Integer> seen = new ArrayList<>();
        IOException thrown = assertThrows(IOException.class, () -> run(() -> {
            for (int v : Asyncio.fromPublisher(failing, 8)) {
                seen.add(v);
            }
            return null;
        }));
        assertSame(boom, thrown);
        assertEquals(List.of(1), seen);
    }

    @Test
    void cancellingTheConsumerTaskCancelsTheSubscription() {
        ScriptedPublisher silent = new ScriptedPublisher(0) {
            @Override
            public void subscribe(Flow.Subscriber<? super Integer> s) {
                subscriber = s;
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        requests.add(n);
                    }

                    @Override
                    public void cancel() {
                        cancelled = true;
                    }
                });
            }
        };
        run(() -> {
            Task<List<Integer>> consumer = Asyncio.createTask(() -> Asyncio.fromPublisher(silent, 3).toList());
            Asyncio.sleep(5);
            assertEquals(List.of(3L), silent.requests);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            return null;
        });
        assertTrue(silent.cancelled);
    }

    @Test
    void subscriptionArrivingAfterTheConsumerLeftIsCancelledAtOnce() {
        List<Flow.Subscriber<? super Integer>> pending = new ArrayList<>();
        Flow.Publisher<Integer> late = pending::add;
        boolean[] cancelled = new boolean[1];
        run(() -> {
            Task<Boolean> consumer = Asyncio.createTask(() -> Asyncio.fromPublisher(late, 1).hasNext());
            Asyncio.sleep(1);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            return null;
        });
        pending.get(0).onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                fail("a cancelled consumer must not request");
            }

            @Override
            public void cancel() {
                cancelled[0] = true;
            }
        });
        assertTrue(cancelled[0]);
    }

    @Test
    void nullItemIsRefusedWithNullPointerException() {
        ScriptedPublisher publisher = new ScriptedPublisher(Integer.MAX_VALUE);
        run(() -> {
            AsyncGenerator<Integer> items = Asyncio.fromPublisher(publisher, 1);
            assertEquals(0, items.anext());
            assertThrows(NullPointerException.class, () -> publisher.subscriber.onNext(null));
            items.aclose();
            return null;
        });
    }

    @Test
    void prefetchMustBePositive() {
        ScriptedPublisher publisher = new ScriptedPublisher(1);
        assertEquals("prefetch must be positive: 0",
                assertThrows(IllegalArgumentException.class, () -> Asyncio.fromPublisher(publisher, 0)).getMessage());
        assertEquals("publisher", assertThrows(NullPointerException.class, () -> Asyncio.fromPublisher(null, 1)).getMessage());
    }

    @Test
    void roundTripThroughBothBridgesKeepsOrderAndPacesTheGenerator() {
        List<String> log = new ArrayList<>();
        List<Integer> values = run(() -> {
            AsyncGenerator<Integer> source = Asyncio.generator(out -> {
                for (int i = 0; i < 6; i++) {
                    log.add("produce " + i);
                    out.yield(i);
                }
            });
            List<Integer> out = new ArrayList<>();
            for (int v : Asyncio.fromPublisher(Asyncio.toPublisher(source), 2)) {
                log.add("consume " + v);
                out.add(v);
                Asyncio.sleep(1);
            }
            return out;
        });
        assertEquals(List.of(0, 1, 2, 3, 4, 5), values);
        int maxAhead = 0;
        int produced = 0;
        int consumed = 0;
        for (String entry : log) {
            if (entry.startsWith("produce")) {
                produced++;
            } else {
                consumed++;
            }
            maxAhead = Math.max(maxAhead, produced - consumed);
        }
        assertTrue(maxAhead <= 2, "the generator ran " + maxAhead + " values ahead: " + log);
    }
}
