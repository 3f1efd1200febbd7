package io.jasyncio.net;

import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * The arguments of asyncio's {@code create_datagram_endpoint} (other than the protocol factory and
 * {@code sock}). A null field means "not given". Start from {@link #DEFAULT} and use the
 * {@code with...} methods:
 *
 * <pre>{@code
 * DatagramOptions.DEFAULT.withRemoteAddr("example.com", 53)
 * DatagramOptions.DEFAULT.withLocalAddr("0.0.0.0", 9999).withAllowBroadcast(true)
 * }</pre>
 *
 * @param localAddr the address to bind the socket to (port 0: any free port); null to let the
 *     system choose when the socket first sends. May be unresolved: it is then resolved off the loop.
 * @param remoteAddr the address to connect the socket to, making the endpoint's default
 *     destination and the only address it exchanges datagrams with; null for an unconnected
 *     endpoint, which names the destination of each datagram. May be unresolved.
 * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6} to use
 *     only that family; null for whichever the addresses resolve to. Required when neither address
 *     is given, to choose the socket's family.
 * @param reusePort whether to set {@code SO_REUSEPORT}, so that several sockets (of this or other
 *     processes of the same user) can bind the same address and port
 * @param allowBroadcast whether to set {@code SO_BROADCAST}, so that datagrams may be sent to
 *     broadcast addresses. With a {@code remoteAddr} the socket is then not connected (asyncio's
 *     rule): the remote address is only the default destination, and datagrams from any sender
 *     are received.
 */
public record DatagramOptions(InetSocketAddress localAddr, InetSocketAddress remoteAddr, ProtocolFamily family,
        boolean reusePort, boolean allowBroadcast) {

    /** No options given. */
    public static final DatagramOptions DEFAULT = new DatagramOptions(null, null, null, false, false);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if {@code family} is neither INET, INET6 nor null (Java's
     *     {@code DatagramChannel} has no Unix-domain datagram sockets)
     */
    public DatagramOptions {
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family must be INET, INET6 or null: " + family);
        }
    }

    /** These options with {@code localAddr} replaced. */
    public DatagramOptions withLocalAddr(InetSocketAddress localAddr) {
        return new DatagramOptions(localAddr, remoteAddr, family, reusePort, allowBroadcast);
    }

    /**
     * These options with {@code localAddr} set to {@code host} and {@code port}, unresolved, so
     * that the endpoint resolves the name off the loop.
     *
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public DatagramOptions withLocalAddr(String host, int port) {
        return withLocalAddr(InetSocketAddress.createUnresolved(host, port));
    }

    /** These options with {@code remoteAddr} replaced. */
    public DatagramOptions withRemoteAddr(InetSocketAddress remoteAddr) {
        return new DatagramOptions(localAddr, remoteAddr, family, reusePort, allowBroadcast);
    }

    /**
     * These options with {@code remoteAddr} set to {@code host} and {@code port}, unresolved, so
     * that the endpoint resolves the name off the loop.
     *
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public DatagramOptions withRemoteAddr(String host, int port) {
        return withRemoteAddr(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * These options with {@code family} replaced.
     *
     * @throws IllegalArgumentException if {@code family} is neither INET, INET6 nor null
     */
    public DatagramOptions withFamily(ProtocolFamily family) {
        return new DatagramOptions(localAddr, remoteAddr, family, reusePort, allowBroadcast);
    }

    /** These options with {@code reusePort} replaced. */
    public DatagramOptions withReusePort(boolean reusePort) {
        return new DatagramOptions(localAddr, remoteAddr, family, reusePort, allowBroadcast);
    }

    /** These options with {@code allowBroadcast} replaced. */
    public DatagramOptions withAllowBroadcast(boolean allowBroadcast) {
        return new DatagramOptions(localAddr, remoteAddr, family, reusePort, allowBroadcast);
    }
}
