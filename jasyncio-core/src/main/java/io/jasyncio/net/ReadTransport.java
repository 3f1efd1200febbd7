package io.jasyncio.net;

/** A transport that receives data: asyncio's {@code ReadTransport}. */
public interface ReadTransport extends BaseTransport {

    /** Whether the transport is receiving data: not closing and not {@link #pauseReading() paused}. */
    boolean isReading();

    /**
     * Stops delivering received data to the protocol until {@link #resumeReading()}. Data the peer
     * sends meanwhile waits in the socket's kernel buffer, so a full buffer slows the peer down.
     * Does nothing if the transport is closing or already paused.
     */
    void pauseReading();

    /** Delivers received data again after {@link #pauseReading()}. Does nothing unless paused and open. */
    void resumeReading();
}
