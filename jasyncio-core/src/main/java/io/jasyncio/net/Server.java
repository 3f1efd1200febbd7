package io.jasyncio.net;

import io.jasyncio.EventLoop;
import java.util.List;

/**
 * A listening server made by {@link EventLoop#createServer}, {@link EventLoop#createUnixServer},
 * {@link io.jasyncio.Asyncio#startServer} or {@link io.jasyncio.Asyncio#startUnixServer}: asyncio's
 * {@code Server}. It accepts connections on one or more sockets and gives each a transport and a
 * protocol (or a stream pair) of its own.
 *
 * <p>Closing a server stops it listening; the connections it accepted go on until they close
 * themselves, or until {@link #closeClients()} or {@link #abortClients()}. {@link #waitClosed()}
 * waits for both. {@link #close()} does not suspend, so a try-with-resources block stops the server
 * without waiting for its connections to end (asyncio's {@code async with server} also waits:
 * call {@link #waitClosed()} for that).
 *
 * <p>Use a server on its loop's thread only.
 */
public interface Server extends AutoCloseable {

    /** The loop the server runs on. */
    EventLoop getLoop();

    /** Whether the server is accepting connections: after {@link #startServing()} and before {@link #close()}. */
    boolean isServing();

    /** Views of the listening sockets, one per bound address; empty once the server is closed. */
    List<TransportSocket> sockets();

    /**
     * Starts accepting connections, if not already, and suspends the current task for one loop
     * iteration so the sockets are watched when it returns. Does nothing more when serving.
     *
     * @throws IllegalStateException if the server is closed, or called outside a task
     * @throws io.jasyncio.CancelledError if the task is cancelled during the iteration (the server keeps serving)
     */
    void startServing();

    /**
     * Accepts connections until the current task is cancelled or the server is closed, suspending
     * the task all that time. Cancelling the task closes the server, waits for
     * {@link #waitClosed()}, then raises the {@link io.jasyncio.CancelledError}; closing the server
     * from elsewhere also ends the wait with a {@code CancelledError}, as in asyncio. Never returns
     * normally.
     *
     * @throws io.jasyncio.CancelledError when the task is cancelled or the server is closed, in
     *     both cases once the server is closed and every connection it accepted has ended
     * @throws IllegalStateException if another task is already in {@code serveForever}, the
     *     server is closed, or called outside a task
     */
    void serveForever();

    /**
     * Suspends the current task until the server is closed and every connection it accepted has
     * ended; returns at once if both already happened. Cancelling the task ends the wait only.
     *
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting
     */
    void waitClosed();

    /**
     * Stops listening: stops accepting, closes the listening sockets (removing a Unix socket's
     * file if the server created it), and ends {@link #serveForever()}. Accepted connections stay
     * open. Does not suspend; does nothing if already closed.
     */
    @Override
    void close();

    /** Closes every accepted connection that is still open, as {@link BaseTransport#close()} (3.13). */
    void closeClients();

    /** Aborts every accepted connection that is still open, as {@link WriteTransport#abort()} (3.13). */
    void abortClients();
}
