package io.jasyncio.net;

import java.util.Objects;

/**
 * The transport and protocol of a new datagram endpoint, as returned by
 * {@link io.jasyncio.EventLoop#createDatagramEndpoint(java.util.function.Supplier, DatagramOptions)
 * EventLoop.createDatagramEndpoint}: asyncio's {@code (transport, protocol)} pair.
 *
 * @param transport the endpoint's transport
 * @param protocol the protocol made by the protocol factory
 * @param <P> the protocol type
 */
public record DatagramEndpoint<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {

    /** Checks that neither part is null. */
    public DatagramEndpoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
