package io.jasyncio.subprocess;

import java.util.Objects;

/**
 * The transport and protocol of a new child process, as returned by
 * {@link io.jasyncio.EventLoop#subprocessExec}: asyncio's {@code (transport, protocol)} pair.
 *
 * @param transport the process's transport
 * @param protocol the protocol made by the protocol factory
 * @param <P> the protocol type
 */
public record SubprocessConnection<P extends SubprocessProtocol>(SubprocessTransport transport, P protocol) {

    /** Checks that neither part is null. */
    public SubprocessConnection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
    }
}
