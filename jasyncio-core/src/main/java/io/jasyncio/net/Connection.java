package io.jasyncio.net;

import java.util.Objects;

/**
 * The transport and protocol of a new connection, as returned by
 * {@link io.jasyncio.EventLoop#createConnection}: asyncio's {@code (transport, protocol)} pair.
 *
 * @param transport the connection's transport
 * @param protocol the protocol made by the protocol factory
 * @param <P> the protocol type
 */
public record Connection<P extends BaseProtocol>(Transport transport, P protocol) {

    /** Checks that neither part is null. */
    public Connection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
