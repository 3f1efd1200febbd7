package io.jasyncio.net;

/**
 * The base of all transports: asyncio's {@code BaseTransport}. A transport owns a socket (or
 * another channel) and moves bytes between it and a {@link BaseProtocol}. Transports are made by
 * the event loop ({@code createConnection}, {@code createServer}...), not by user code, and are
 * used on the loop's thread only. None of these methods suspends.
 */
public interface BaseTransport {

    /**
     * Optional information about the transport, asyncio's {@code get_extra_info}. Socket
     * transports know {@code "peername"} and {@code "sockname"} (a {@link java.net.SocketAddress}:
     * {@link java.net.InetSocketAddress} or {@link java.net.UnixDomainSocketAddress}) and
     * {@code "socket"} (a {@link TransportSocket}). TLS transports also know the keys listed in
     * {@link TlsOptions}.
     *
     * @return the value, or null when the transport has none under that name
     */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /** As {@link #getExtraInfo(String)}, returning {@code defaultValue} when there is no such information. */
    Object getExtraInfo(String name, Object defaultValue);

    /** Whether the transport is closing or closed (after {@link #close()}, an abort or a fatal error). */
    boolean isClosing();

    /**
     * Closes the transport. Data already buffered for writing is still sent; then the protocol's
     * {@link BaseProtocol#connectionLost connectionLost(null)} is called on a later loop iteration.
     * Reading stops at once. Does nothing if the transport is already closing.
     */
    void close();

    /**
     * Makes {@code protocol} the receiver of this transport's events from now on. For switching
     * protocols mid-connection; the new protocol's {@code connectionMade} is not called.
     *
     * @throws IllegalArgumentException if the transport cannot drive that kind of protocol
     */
    void setProtocol(BaseProtocol protocol);

    /** The protocol receiving this transport's events. */
    BaseProtocol getProtocol();
}
