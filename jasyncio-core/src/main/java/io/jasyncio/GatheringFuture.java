package io.jasyncio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The future {@link Asyncio#gather} returns: asyncio's {@code _GatheringFuture}. It completes with
 * the children's results in argument order, or with the first child error (a cancelled child's
 * {@link CancelledError} included) unless exceptions are returned as results. Cancelling it
 * cancels the children; it then completes, with {@link CancelledError}, once they are all done.
 *
 * @param <E> the type of a result entry
 */
final class GatheringFuture<E> extends Future<List<E>> {
    /** One entry per argument; an argument given twice appears twice, as the same future. */
    private final Future<?>[] children;
    private final boolean returnExceptions;
    private final int distinct;
    private int finished;
    private boolean cancelRequested;

    private GatheringFuture(EventLoop loop, Future<?>[] children, int distinct, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.distinct = distinct;
        this.returnExceptions = returnExceptions;
    }

    /**
     * Gathers {@code children} (futures of {@code loop}, one per argument) whose distinct members
     * are {@code distinct}. Children already done are accounted for at once, so a gather of done
     * futures is done on return.
     */
    static <E> GatheringFuture<E> of(EventLoop loop, Future<?>[] children, Collection<Future<?>> distinct,
            boolean returnExceptions) {
        GatheringFuture<E> outer = new GatheringFuture<>(loop, children, distinct.size(), returnExceptions);
        Consumer<Future<?>> callback = outer::childDone;
        Context context = loop.currentContext();
        for (Future<?> f : distinct) {
            if (!f.done()) {
                f.addDoneCallback(callback, context);
            }
        }
        // Nothing runs in between, so the children done now are exactly those left without a callback.
        for (Future<?> f : distinct) {
            if (f.done()) {
                outer.childDone(f);
            }
        }
        return outer;
    }

    /**
     * Cancels every child (a child given twice is cancelled twice, as asyncio does). If any child
     * accepted, this future will complete with {@link CancelledError} once all children are done,
     * even when exceptions are returned as results.
     *
     * @return whether any child accepted the cancellation
     */
    @Override
    public boolean cancel(String msg) {
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            any |= child.cancel(msg);
        }
        if (any) {
            cancelRequested = true;
        }
        return any;
    }

    private void childDone(Future<?> child) {
        finished++;
        if (done()) {
            if (!child.cancelled()) {
                // The outcome is decided: mark the child's exception retrieved.
                child.exception();
            }
            return;
        }
        if (!returnExceptions) {
            if (child.cancelled()) {
                setAnyException(child.makeCancelledError());
                return;
            }
            Throwable error = child.exception();
            if (error != null) {
                setAnyException(error);
                return;
            }
        }
        if (finished == distinct) {
            complete();
        }
    }

    @SuppressWarnings("unchecked")
    private void complete() {
        Object[] results = new Object[children.length];
        for (int i = 0; i < children.length; i++) {
            Future<?> child = children[i];
            if (child.cancelled()) {
                results[i] = new CancelledError(child.cancelMessage);
            } else {
                Throwable error = child.exception();
                results[i] = error != null ? error : child.result();
            }
        }
        if (cancelRequested) {
            setAnyException(children[children.length - 1].makeCancelledError());
        } else {
            setResult((List<E>) new ArrayList<>(Arrays.asList(results)));
        }
    }

    @Override
    public String toString() {
        return "GatheringFuture[" + describeState() + ", children=" + children.length + "]";
    }
}
