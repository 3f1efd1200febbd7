package io.jasyncio;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds what blocks a loop in debug mode. While a callback or task step runs longer than the
 * loop's slow-callback duration, one daemon thread (shared by all loops) takes the stack of the
 * thread running it and logs, at WARNING on the {@code io.jasyncio} logger, the callback (a task
 * shows its name) and that stack: the accidental {@code Thread.sleep}, JDBC call or lock wait is
 * at its top. The report is made while the callback still runs, so a loop that never recovers is
 * reported too. asyncio's own "Executing ... took N seconds" line still follows when it ends.
 *
 * <p>The watchdog samples each running entry at most once, exactly when it crosses the threshold;
 * between entries it polls every quarter of the threshold (at least every millisecond). A loop
 * costs nothing here unless debug mode is on.
 */
final class BlockingWatchdog {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final long MIN_POLL_NANOS = 1_000_000L;
    private static final ConcurrentLinkedQueue<WeakReference<Watch>> WATCHES = new ConcurrentLinkedQueue<>();
    private static final Thread THREAD = Thread.ofPlatform().daemon().name("jasyncio-blocking-watchdog")
            .unstarted(BlockingWatchdog::watchForever);

    static {
        THREAD.start();
    }

    private BlockingWatchdog() {
    }

    /** The callback a loop is running now, as the watchdog sees it. */
    private static final class Step {
        final Ready entry;
        final Thread loopThread;
        final long since;
        final long thresholdNanos;
        /** Watchdog thread only. */
        boolean reported;

        Step(Ready entry, Thread loopThread, long since, long thresholdNanos) {
            this.entry = entry;
            this.loopThread = loopThread;
            this.since = since;
            this.thresholdNanos = thresholdNanos;
        }
    }

    /** One loop's link to the watchdog; the loop holds it, the watchdog only weakly. */
    static final class Watch {
        private final EventLoop loop;
        private volatile Step current;
        private volatile boolean registered;
        private volatile long pollNanos = MIN_POLL_NANOS;

        Watch(EventLoop loop) {
            this.loop = loop;
        }

        /** The loop starts running {@code entry} at {@code since} (System.nanoTime). Loop thread. */
        void begin(Ready entry, long since, long thresholdNanos) {
            if (!registered) {
                registered = true;
                WATCHES.add(new WeakReference<>(this));
                LockSupport.unpark(THREAD);
            }
            pollNanos = Math.max(MIN_POLL_NANOS, thresholdNanos / 4);
            current = new Step(entry, Thread.currentThread(), since, thresholdNanos);
        }

        /** The entry begun last has returned. Loop thread. */
        void end() {
            current = null;
        }

        /** Reports the current entry if it just crossed its threshold; returns the nanos until the next look. */
        private long check(long now) {
            Step s = current;
            if (s == null) {
                return pollNanos;
            }
            long due = s.since + s.thresholdNanos;
            if (now - due < 0) {
                return due - now;
            }
            if (!s.reported) {
                s.reported = true;
                report(s, now);
            }
            return pollNanos;
        }

        /** Stops watching a loop that stopped running; false if it is running again after all. */
        private boolean retireIfStopped() {
            if (loop.isRunning()) {
                return false;
            }
            registered = false;
            if (loop.isRunning()) {
                registered = true;
                return false;
            }
            return true;
        }
    }

    private static void report(Step s, long now) {
        Thread sampled = s.entry instanceof Task<?>.Step t && t.task().stepThread() != null ? t.task().stepThread() : s.loopThread;
        StackTraceElement[] frames = sampled.getStackTrace();
        StringBuilder msg = new StringBuilder(256 + 64 * frames.length)
                .append(s.entry).append(" has been blocking the event loop for ")
                .append(String.format("%.3f", (now - s.since) / 1e9))
                .append(" seconds (slow callback duration ")
                .append(String.format("%.3f", s.thresholdNanos / 1e9))
                .append(" s); it is at:");
        for (StackTraceElement frame : frames) {
            msg.append("\n\tat ").append(frame);
        }
        LOG.log(System.Logger.Level.WARNING, msg.toString());
    }

    private static void watchForever() {
        while (true) {
            long now = System.nanoTime();
            long sleep = Long.MAX_VALUE;
            for (Iterator<WeakReference<Watch>> it = WATCHES.iterator(); it.hasNext(); ) {
                Watch w = it.next().get();
                if (w == null || (w.current == null && w.retireIfStopped())) {
                    it.remove();
                    continue;
                }
                sleep = Math.min(sleep, w.check(now));
            }
            if (sleep == Long.MAX_VALUE) {
                LockSupport.park(BlockingWatchdog.class);
            } else {
                LockSupport.parkNanos(BlockingWatchdog.class, sleep);
            }
        }
    }
}
