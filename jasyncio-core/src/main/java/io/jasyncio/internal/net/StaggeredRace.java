package io.jasyncio.internal.net;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs coroutines with staggered starts and keeps the first to succeed: asyncio's
 * {@code staggered.staggered_race}, the engine of Happy Eyeballs. The first coroutine starts at
 * once; each next one starts when the one started just before it fails, or when {@code delay} has
 * passed since it started, whichever comes first. The first to return wins and every other is
 * cancelled; the race ends when all have finished.
 *
 * @param <T> the coroutines' result type
 */
public final class StaggeredRace<T> {

    /**
     * How a race ended.
     *
     * @param winnerResult the winner's result, or null if none won
     * @param winnerIndex the winner's index, or -1 if none won
     * @param exceptions one entry per coroutine started, in order: its error, or null for the winner
     */
    public record Outcome<T>(T winnerResult, int winnerIndex, List<Throwable> exceptions) {
    }

    private final EventLoop loop;
    private final Consumer<? super T> discard;
    private final List<Throwable> exceptions = new ArrayList<>();
    private final Set<Task<Void>> running = new LinkedHashSet<>();
    private T winnerResult;
    private int winnerIndex = -1;
    /** The index of the coroutine started last: only its failure starts the next one early. */
    private int lastStarted = -1;
    /** What the coordinating task waits on; completed by any event it must react to. */
    private Future<Void> wakeup;

    private StaggeredRace(EventLoop loop, Consumer<? super T> discard) {
        this.loop = loop;
        this.discard = discard;
    }

    /**
     * Runs the race in the current task, suspending it until every started coroutine is done.
     * Cancelling the task cancels every coroutine still running, waits for them, then raises the
     * {@link CancelledError}.
     *
     * @param delay how long to wait before starting the next coroutine; null to start it only when
     *     the previous one fails
     * @param discard receives a result nobody will get (a connection that must be closed): the
     *     winner's when the race is cancelled after it won, or one arriving after another won
     */
    public static <T> Outcome<T> run(EventLoop loop, List<? extends AsyncCallable<? extends T>> coroutines,
            Duration delay, Consumer<? super T> discard) {
        return new StaggeredRace<T>(loop, discard).race(coroutines, delay);
    }

    private Outcome<T> race(List<? extends AsyncCallable<? extends T>> coroutines, Duration delay) {
        CancelledError cancelled = null;
        try {
            for (int i = 0; i < coroutines.size() && winnerIndex < 0; i++) {
                start(i, coroutines.get(i));
                if (i + 1 < coroutines.size()) {
                    waitForNextStart(i, delay);
                }
            }
        } catch (CancelledError e) {
            cancelled = e;
            cancelRunning(e.getMessage());
        }
        while (!running.isEmpty()) {
            try {
                sleepUntilWoken(Long.MAX_VALUE);
            } catch (CancelledError e) {
                cancelled = e;
                cancelRunning(e.getMessage());
            }
        }
        if (cancelled != null) {
            if (winnerIndex >= 0) {
                // Won, but the caller no longer wants the result: release it (close the connection).
                discard.accept(winnerResult);
            }
            throw cancelled;
        }
        return new Outcome<>(winnerResult, winnerIndex, Collections.unmodifiableList(exceptions));
    }

    private void start(int index, AsyncCallable<? extends T> coroutine) {
        exceptions.add(null);
        lastStarted = index;
        Task<Void> task = loop.createTask(() -> runOne(index, coroutine));
        running.add(task);
        task.addDoneCallback(t -> {
            running.remove(t);
            wake();
        });
    }

    /** Waits until the coroutine just started fails, the delay since its start passes, or someone wins. */
    private void waitForNextStart(int index, Duration delay) {
        long deadline = delay == null ? Long.MAX_VALUE : loop.timeNanos() + delay.toNanos();
        while (winnerIndex < 0 && exceptions.get(index) == null) {
            if (!sleepUntilWoken(deadline)) {
                return;
            }
        }
    }

    /**
     * Suspends until {@link #wake()} or until loop time {@code deadlineNanos} ({@code Long.MAX_VALUE}: none).
     *
     * @return false if the deadline passed
     */
    private boolean sleepUntilWoken(long deadlineNanos) {
        long remaining = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - loop.timeNanos();
        if (remaining <= 0) {
            return false;
        }
        Future<Void> w = loop.createFuture();
        wakeup = w;
        TimerHandle timer = remaining == Long.MAX_VALUE ? null : loop.callLater(Duration.ofNanos(remaining), () -> {
            if (!w.done()) {
                w.setResult(null);
            }
        });
        try {
            w.await();
        } finally {
            wakeup = null;
            if (timer != null) {
                timer.cancel();
            }
        }
        return deadlineNanos == Long.MAX_VALUE || loop.timeNanos() < deadlineNanos;
    }

    private void wake() {
        Future<Void> w = wakeup;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    private void runOne(int index, AsyncCallable<? extends T> coroutine) {
        T result;
        try {
            result = coroutine.call();
        } catch (Throwable e) {
            exceptions.set(index, e);
            if (index == lastStarted) {
                wake();
            }
            return;
        }
        if (winnerIndex >= 0) {
            discard.accept(result);
            return;
        }
        winnerIndex = index;
        winnerResult = result;
        Task<?> self = Asyncio.currentTask();
        for (Task<Void> t : running) {
            if (t != self) {
                t.cancel();
            }
        }
        wake();
    }

    private void cancelRunning(String message) {
        for (Task<Void> t : running) {
            t.cancel(message);
        }
    }
}
