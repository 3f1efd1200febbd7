package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayDeque;

/**
 * The write flow control behind {@link StreamWriter#drain()}: asyncio's
 * {@code streams.FlowControlMixin}. It tracks the transport's {@link #pauseWriting()} and
 * {@link #resumeWriting()} calls and the loss of the connection, and lets writers wait while
 * writing is paused. Subclasses that override {@code pauseWriting}, {@code resumeWriting} or
 * {@code connectionLost} must call these.
 */
public abstract class FlowControlProtocol implements Protocol {
    /** The loop the protocol runs on. */
    protected final EventLoop loop;
    private boolean paused;
    private boolean connectionLost;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>(1);

    /**
     * A protocol of {@code loop} (null: the running loop, or the loop set for this thread).
     *
     * @throws IllegalStateException if {@code loop} is null and there is no such loop
     */
    protected FlowControlProtocol(EventLoop loop) {
        this.loop = loop != null ? loop : Asyncio.getEventLoop();
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    /** Writing may go on: wakes every task waiting in {@code drain()}. */
    @Override
    public void resumeWriting() {
        paused = false;
        for (Future<Void> w : drainWaiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    /** Wakes the tasks waiting in {@code drain()}, with {@code exc} if the connection failed. */
    @Override
    public void connectionLost(Throwable exc) {
        connectionLost = true;
        if (!paused) {
            return;
        }
        for (Future<Void> w : drainWaiters) {
            if (!w.done()) {
                if (exc == null) {
                    w.setResult(null);
                } else {
                    w.setException(exc);
                }
            }
        }
    }

    /**
     * Suspends while writing is paused; asyncio's {@code _drain_helper}.
     *
     * @throws SocketException ("Connection lost", asyncio's ConnectionResetError) if the
     *     connection is already lost
     */
    final void drainHelper() throws IOException {
        if (connectionLost) {
            throw new SocketException("Connection lost");
        }
        if (!paused) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        drainWaiters.addLast(waiter);
        try {
            waiter.await();
        } finally {
            drainWaiters.remove(waiter);
        }
    }

    /** The future {@link StreamWriter#waitClosed()} waits on for {@code stream}: done when the connection is lost. */
    protected abstract Future<Void> getCloseWaiter(StreamWriter stream);
}
