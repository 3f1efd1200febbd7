package io.jasyncio;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches a future that holds an exception; if the future becomes garbage before anyone read
 * the exception, reports "exception was never retrieved" through its loop's exception handler,
 * as asyncio's {@code Future.__del__} does. Allocated only when an exception is stored.
 */
final class UnretrievedException implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create(
            Thread.ofPlatform().daemon().name("jasyncio-cleaner").factory());

    private final EventLoop loop;
    private final Throwable exception;
    private final String owner;
    private final boolean task;
    private final StackTraceElement[] sourceTraceback;
    private volatile boolean retrieved;
    private Cleaner.Cleanable cleanable;

    private UnretrievedException(EventLoop loop, Throwable exception, String owner, boolean task,
            StackTraceElement[] sourceTraceback) {
        this.loop = loop;
        this.exception = exception;
        this.owner = owner;
        this.task = task;
        this.sourceTraceback = sourceTraceback;
    }

    static UnretrievedException watch(Future<?> future, Throwable exception) {
        UnretrievedException w = new UnretrievedException(future.loop, exception, future.toString(),
                future instanceof Task, future instanceof Task<?> t ? t.sourceTraceback() : null);
        w.cleanable = CLEANER.register(future, w);
        return w;
    }

    /** The exception was read: nothing to report, and the cleaner can forget the future. */
    void retrieved() {
        retrieved = true;
        cleanable.clean();
    }

    @Override
    public void run() {
        if (retrieved) {
            return;
        }
        Map<String, Object> context = new HashMap<>();
        context.put("message", (task ? "Task" : "Future") + " exception was never retrieved");
        context.put("exception", exception);
        context.put(task ? "task" : "future", owner);
        if (sourceTraceback != null) {
            context.put("source_traceback", sourceTraceback);
        }
        loop.reportFromAnyThread(context);
    }
}
