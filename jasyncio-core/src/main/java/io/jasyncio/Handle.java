package io.jasyncio;

/**
 * A callback scheduled on a loop by {@link EventLoop#callSoon}, asyncio's {@code Handle}.
 * The callback runs once on the loop thread in the {@link Context} it was scheduled from, unless
 * {@link #cancel()} is called first. An exception it throws goes to the loop's exception handler.
 */
public class Handle extends Ready {
    final EventLoop loop;
    private Runnable callback;
    private final Context context;
    private boolean cancelled;
    /** Where the handle was created; set in debug mode only. */
    final StackTraceElement[] sourceTraceback;

    Handle(EventLoop loop, Runnable callback, Context context) {
        this.loop = loop;
        this.callback = callback;
        this.context = context;
        this.sourceTraceback = loop.debug ? Thread.currentThread().getStackTrace() : null;
    }

    /**
     * Prevents the callback from running. Does nothing if it already ran or was cancelled.
     * Must be called on the loop thread.
     */
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            callback = null;
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean cancelled() {
        return cancelled;
    }

    /** The context the callback runs in. */
    public Context getContext() {
        return context;
    }

    /**
     * Runs the callback now, in its context, unless the handle was cancelled; an exception goes to
     * the loop's exception handler. The loop calls it when the handle is due.
     */
    @Override
    void runReady() {
        if (cancelled) {
            return;
        }
        Runnable cb = callback;
        Context previous = loop.swapContext(context);
        try {
            cb.run();
        } catch (Throwable e) {
            loop.reportCallbackError("Exception in callback " + cb, e, this);
        } finally {
            loop.swapContext(previous);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(callback)) + "]";
    }
}
