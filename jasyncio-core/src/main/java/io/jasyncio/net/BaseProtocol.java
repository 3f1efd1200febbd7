package io.jasyncio.net;

/**
 * The callbacks every protocol receives from its transport: asyncio's {@code BaseProtocol}. All
 * callbacks run on the loop's thread, one at a time, and must not suspend: a protocol that needs to
 * wait hands the work to a task. Every method has an empty default.
 *
 * <p>Order, as in asyncio: {@link #connectionMade} once, then the data callbacks of the concrete
 * protocol, then {@link #connectionLost} exactly once. {@link #pauseWriting} and
 * {@link #resumeWriting} alternate, starting with a pause, any time in between.
 *
 * <p>An exception thrown by a data callback is a fatal error for the connection: the transport is
 * aborted and {@code connectionLost} receives that exception.
 */
public interface BaseProtocol {

    /** The connection is made; {@code transport} is its transport. Called once, first. */
    default void connectionMade(BaseTransport transport) {
    }

    /**
     * The connection is closed: by {@code close()} (after buffered data was sent), by
     * {@code abort()}, by the peer, or by an error. Called exactly once, last.
     *
     * @param exc null for a regular close or end of file, else the error that ended the connection
     */
    default void connectionLost(Throwable exc) {
    }

    /** The transport's write buffer went over its high-water mark: stop writing until {@link #resumeWriting()}. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low-water mark: writing may go on. */
    default void resumeWriting() {
    }
}
