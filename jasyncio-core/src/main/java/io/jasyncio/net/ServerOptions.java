package io.jasyncio.net;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * The keyword arguments of asyncio's {@code create_server}, {@code create_unix_server},
 * {@code start_server} and {@code start_unix_server}. Start from {@link #DEFAULT} and use the
 * {@code with...} methods.
 *
 * @param family the address family to listen on, {@link StandardProtocolFamily#INET} or
 *     {@link StandardProtocolFamily#INET6}; null for any (TCP only)
 * @param backlog how many connections may wait to be accepted (default 100); also the most
 *     connections accepted per loop iteration
 * @param reuseAddress whether to set {@code SO_REUSEADDR}, so a restarted server can bind while old
 *     connections linger in TIME_WAIT; null means true, as asyncio on POSIX (TCP only)
 * @param reusePort whether to set {@code SO_REUSEPORT}, so several sockets (of this or other
 *     processes) may bind the same port (TCP only)
 * @param keepAlive whether to enable {@code SO_KEEPALIVE} on accepted connections (TCP only, 3.13)
 * @param startServing whether to start accepting at once; otherwise call
 *     {@link Server#startServing()} or {@link Server#serveForever()}
 * @param cleanupSocket whether closing a Unix server removes the socket file it created, if the
 *     file was not replaced meanwhile (Unix only, 3.13)
 */
public record ServerOptions(ProtocolFamily family, int backlog, Boolean reuseAddress, boolean reusePort,
        boolean keepAlive, boolean startServing, boolean cleanupSocket) {

    /** asyncio's defaults. */
    public static final ServerOptions DEFAULT = new ServerOptions(null, 100, null, false, false, true, true);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if {@code backlog} is not positive, or {@code family} is
     *     neither INET, INET6 nor null
     */
    public ServerOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family must be INET, INET6 or null: " + family);
        }
    }

    /**
     * These options with {@code family} replaced.
     *
     * @throws IllegalArgumentException if {@code family} is neither INET, INET6 nor null
     */
    public ServerOptions withFamily(ProtocolFamily family) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /**
     * These options with {@code backlog} replaced.
     *
     * @throws IllegalArgumentException if {@code backlog} is not positive
     */
    public ServerOptions withBacklog(int backlog) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /** These options with {@code reuseAddress} replaced. */
    public ServerOptions withReuseAddress(Boolean reuseAddress) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /** These options with {@code reusePort} replaced. */
    public ServerOptions withReusePort(boolean reusePort) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /** These options with {@code keepAlive} replaced. */
    public ServerOptions withKeepAlive(boolean keepAlive) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /** These options with {@code startServing} replaced. */
    public ServerOptions withStartServing(boolean startServing) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }

    /** These options with {@code cleanupSocket} replaced. */
    public ServerOptions withCleanupSocket(boolean cleanupSocket) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, keepAlive, startServing, cleanupSocket);
    }
}
