package io.jasyncio.internal.subprocess;

import io.jasyncio.Context;
import io.jasyncio.EventLoop;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a loop-side handler from a pipe thread, at most once per batch: however many times the
 * thread signals before the handler runs, the handler is scheduled once, and it then takes
 * everything the thread left for it. The schedule flag is reset just before the handler runs, so
 * whatever the thread leaves after that point schedules it again.
 */
final class LoopSignal {
    private final EventLoop loop;
    private final Context context;
    private final Runnable handler;
    private final Runnable run = this::run;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean loopClosed;

    LoopSignal(EventLoop loop, Context context, Runnable handler) {
        this.loop = loop;
        this.context = context;
        this.handler = handler;
    }

    /**
     * From any thread: makes sure the handler runs on the loop soon.
     *
     * @return false if the loop is closed, so that the handler will never run
     */
    boolean signal() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.callSoonThreadsafe(run, context);
            } catch (IllegalStateException closed) {
                loopClosed = true;
            }
        }
        return !loopClosed;
    }

    private void run() {
        scheduled.set(false);
        handler.run();
    }
}
