package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.AsyncContextManager;
import io.jasyncio.AsyncGenerator;
import io.jasyncio.AsyncIterator;
import io.jasyncio.Asyncio;
import io.jasyncio.ContextVar;
import io.jasyncio.EventLoop;
import io.jasyncio.StopAsyncIteration;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/** Tour sections for async iteration, async generators, async context managers and contextvars. */
public final class GeneratorTour {
    private GeneratorTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("async with", GeneratorTour::asyncWith),
                new Section("async for", GeneratorTour::asyncFor),
                new Section("async generator", GeneratorTour::asyncGenerator),
                new Section("generator throughput", GeneratorTour::throughput),
                new Section("aclose, shutdown", GeneratorTour::closing),
                new Section("contextvars", GeneratorTour::contextVars),
                new Section("Flow bridges", GeneratorTour::flow));
    }

    /** The seed's AsyncContextManager: enter, block, exit, in that order, with the exception seen. */
    static String asyncWith() {
        return Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            AsyncContextManager<List<String>> manager = new AsyncContextManager<>() {
                @Override
                public List<String> aenter() {
                    Asyncio.sleep(0.01);
                    log.add("进入");
                    return log;
                }

                @Override
                public boolean aexit(Throwable exception) {
                    Asyncio.sleep(0.01);
                    log.add("退出" + (exception == null ? "" : " after " + exception.getMessage()));
                    return exception instanceof IllegalStateException;
                }
            };
            Asyncio.with(manager, l -> l.add("block"));
            Object suppressed = Asyncio.with(manager, l -> {
                throw new IllegalStateException("boom");
            });
            check(suppressed == null, "aexit returning true must suppress the exception");
            check(log.equals(List.of("进入", "block", "退出", "进入", "退出 after boom")), "order was " + log);
            return "aenter/aexit awaited around the block; aexit saw and suppressed the block's exception";
        });
    }

    /** The seed's AsyncIterator, iterated by an ordinary for loop that suspends in hasNext(). */
    static String asyncFor() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] calls = {0};
            AsyncIterator<Integer> countdown = () -> {
                Asyncio.sleep(0.02);
                if (calls[0] == 3) {
                    throw new StopAsyncIteration();
                }
                return 3 - calls[0]++;
            };
            double start = loop.time();
            List<Integer> seen = new ArrayList<>();
            for (int v : countdown) {
                seen.add(v);
            }
            double took = loop.time() - start;
            check(seen.equals(List.of(3, 2, 1)), "iterated " + seen);
            return String.format("for loop over an AsyncIterator got %s, suspending %.2f s in total", seen, took);
        });
    }

    /** The seed's async generator: awaits and yields, iterated and collected. */
    static String asyncGenerator() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] ticks = {0};
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(0.01);
                    ticks[0]++;
                }
            });
            double start = loop.time();
            List<Integer> values = Asyncio.<Integer>generator(out -> {
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0.1);
                    out.yield(i);
                }
            }).toList();
            double took = loop.time() - start;
            ticker.cancel();
            check(values.equals(List.of(0, 1, 2)), "collected " + values);
            check(ticks[0] >= 10, "the loop ran only " + ticks[0] + " ticks while the generator slept");
            return String.format("[v async for v in gen()] = %s in %.2f s; another task ticked %d times meanwhile",
                    values, took, ticks[0]);
        });
    }

    /** Items per second through a generator that only yields: one nested suspend/resume each. */
    static String throughput() {
        return Asyncio.run(() -> {
            int n = 1_000_000;
            sumThroughGenerator(n / 5);                  // let the JIT compile the hand-off first
            long t0 = System.nanoTime();
            long sum = sumThroughGenerator(n);
            double seconds = (System.nanoTime() - t0) / 1e9;
            check(sum == (long) n * (n - 1) / 2, "sum was " + sum);
            return String.format("%,d items through an async generator, %.1f million per second (%s backend)",
                    n, n / seconds / 1e6, Asyncio.getRunningLoop().backendName());
        });
    }

    private static long sumThroughGenerator(int n) {
        AsyncGenerator<Integer> numbers = Asyncio.generator(out -> {
            for (int i = 0; i < n; i++) {
                out.yield(i);
            }
        });
        long sum = 0;
        for (int v : numbers) {
            sum += v;
        }
        return sum;
    }

    /** aclose() runs finally blocks that await; Asyncio.run closes a generator abandoned by break. */
    static String closing() {
        List<String> log = new ArrayList<>();
        AsyncGenerator<Integer> abandoned = Asyncio.generator(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.yield(i);
                }
            } finally {
                Asyncio.sleep(0.01);
                log.add("closed by shutdownAsyncgens");
            }
        });
        Asyncio.run(() -> {
            try (AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    out.yield(2);
                } finally {
                    Asyncio.sleep(0.01);
                    log.add("closed by try-with-resources");
                }
            })) {
                gen.anext();
            }
            for (int v : abandoned) {
                if (v == 2) {
                    break;
                }
            }
            return null;
        });
        check(log.equals(List.of("closed by try-with-resources", "closed by shutdownAsyncgens")), "log was " + log);
        return "aclose() ran an awaiting finally block; Asyncio.run closed the generator a loop broke out of";
    }

    /** Tasks see a copy of their creator's context; their changes do not leak back. */
    static String contextVars() {
        ContextVar<String> requestId = new ContextVar<>("request_id", "-");
        return Asyncio.run(() -> {
            List<String> seen = new ArrayList<>();
            List<Task<Void>> handlers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                requestId.set("req-" + i);
                handlers.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(0.01);
                    seen.add(requestId.get());
                    requestId.set("changed by the task");
                }));
            }
            for (Task<Void> h : handlers) {
                h.await();
            }
            check(seen.equals(List.of("req-1", "req-2", "req-3")), "tasks saw " + seen);
            check(requestId.get().equals("req-3"), "a task's change leaked to its creator: " + requestId.get());
            String inWorker = Asyncio.toThread(requestId::get);
            check(inWorker.equals("req-3"), "to_thread saw " + inWorker);
            return "3 concurrent tasks each kept their request id; to_thread carried it to a worker thread";
        });
    }

    /** A generator behind a Flow.Publisher, and a Flow.Publisher read by a for loop. */
    static String flow() {
        return Asyncio.run(() -> {
            int[] produced = {0};
            Flow.Publisher<Integer> publisher = Asyncio.toPublisher(Asyncio.<Integer>generator(out -> {
                for (int i = 0; i < 100; i++) {
                    produced[0]++;
                    out.yield(i);
                }
            }));
            int maxAhead = 0;
            int consumed = 0;
            for (int ignored : Asyncio.fromPublisher(publisher, 8)) {
                consumed++;
                maxAhead = Math.max(maxAhead, produced[0] - consumed);
            }
            check(consumed == 100, "consumed " + consumed);
            check(maxAhead <= 8, "the generator ran " + maxAhead + " items ahead of a prefetch of 8");
            List<Integer> fromThread = new ArrayList<>();
            try (SubmissionPublisher<Integer> submissions = new SubmissionPublisher<>()) {
                AsyncGenerator<Integer> items = Asyncio.fromPublisher(submissions, 4);
                Task<List<Integer>> reader = Asyncio.createTask(items::toList);
                Asyncio.sleep(0.01);
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10; i++) {
                        submissions.submit(i);
                    }
                    submissions.close();
                });
                fromThread.addAll(reader.await());
            }
            check(fromThread.size() == 10, "read " + fromThread);
            return "100 items generator -> Publisher -> for loop, never more than " + maxAhead
                    + " ahead; 10 items from a SubmissionPublisher thread";
        });
    }
}
