package io.jasyncio.net;

/**
 * A bidirectional stream transport, such as a TCP or Unix-domain socket connection: asyncio's
 * {@code Transport}. Made by {@link io.jasyncio.EventLoop#createConnection} and by servers, one per
 * accepted connection.
 */
public interface Transport extends ReadTransport, WriteTransport {
}
