package io.jasyncio.net;

/**
 * Handles one client of a stream server: asyncio's {@code client_connected_cb} of
 * {@code start_server}. The server runs it as a new task for every accepted connection, so it may
 * suspend. When it returns the connection stays open until closed; if it throws, the error goes to
 * the loop's exception handler ("Unhandled exception in client_connected_cb") and the connection is
 * closed; if its task is cancelled, the connection is closed.
 */
@FunctionalInterface
public interface ClientConnectedCallback {

    /** Serves the client that {@code reader} reads from and {@code writer} writes to. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
