package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.Datagram;
import io.jasyncio.net.DatagramEndpoint;
import io.jasyncio.net.DatagramOptions;
import io.jasyncio.net.DatagramProtocol;
import io.jasyncio.net.DatagramStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Datagram endpoints and datagram socket operations: asyncio's {@code create_datagram_endpoint},
 * {@code sock_recvfrom}, {@code sock_recvfrom_into} and {@code sock_sendto}, and jasyncio's
 * {@code openDatagramEndpoint}. Every method runs in a task and may suspend it.
 */
public final class Datagrams {
    /** The longest UDP payload over IPv4: 65,535 bytes less the IPv4 and UDP headers. */
    static final int MAX_IPV4_PAYLOAD = 65_507;
    /** The longest UDP payload over IPv6 without jumbograms: 65,535 bytes less the UDP header. */
    static final int MAX_IPV6_PAYLOAD = 65_527;

    private Datagrams() {
    }

    // ---------------------------------------------------------------- endpoints

    /** asyncio's {@code create_datagram_endpoint(protocol_factory, local_addr, remote_addr, ...)}. */
    public static <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(EventLoop loop,
            Supplier<? extends P> protocolFactory, DatagramOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        List<InetSocketAddress[]> pairs = addressPairs(loop, options);
        List<IOException> errors = new ArrayList<>();
        for (InetSocketAddress[] pair : pairs) {
            DatagramChannel sock = null;
            try {
                sock = openSocket(family(pair, options), options);
                if (pair[0] != null) {
                    bind(sock, pair[0]);
                }
                if (pair[1] != null && !options.allowBroadcast()) {
                    connect(sock, pair[1]);
                }
            } catch (IOException e) {
                Io.closeQuietly(sock);
                errors.add(e);
                continue;
            } catch (RuntimeException | Error e) {
                Io.closeQuietly(sock);
                throw e;
            }
            return endpointOver(loop, sock, pair[1], family(pair, options), protocolFactory);
        }
        throw errors.get(0);
    }

    /** The family of a socket for the addresses of {@code pair}, or the family of the options if it has none. */
    private static ProtocolFamily family(InetSocketAddress[] pair, DatagramOptions options) {
        return pair[0] != null ? Endpoints.familyOf(pair[0]) : pair[1] != null ? Endpoints.familyOf(pair[1]) : options.family();
    }

    /**
     * The (local, remote) address pairs to try, one per address family that every given address
     * resolves to, in the order the families first appear; asyncio's {@code addr_pairs_info}. When
     * an address resolves to several addresses of one family, the last one is used, as in asyncio.
     */
    private static List<InetSocketAddress[]> addressPairs(EventLoop loop, DatagramOptions options) throws IOException {
        InetSocketAddress local = options.localAddr();
        InetSocketAddress remote = options.remoteAddr();
        if (local == null && remote == null) {
            if (options.family() == null) {
                throw new IllegalArgumentException(
                        "unexpected address family: give family when neither localAddr nor remoteAddr is given");
            }
            return List.<InetSocketAddress[]>of(new InetSocketAddress[2]);
        }
        Map<ProtocolFamily, InetSocketAddress[]> byFamily = new LinkedHashMap<>();
        InetSocketAddress[] given = {local, remote};
        for (int i = 0; i < 2; i++) {
            if (given[i] == null) {
                continue;
            }
            for (InetSocketAddress a : resolve(loop, given[i], options.family())) {
                byFamily.computeIfAbsent(Endpoints.familyOf(a), f -> new InetSocketAddress[2])[i] = a;
            }
        }
        List<InetSocketAddress[]> pairs = new ArrayList<>();
        for (InetSocketAddress[] pair : byFamily.values()) {
            if ((local == null || pair[0] != null) && (remote == null || pair[1] != null)) {
                pairs.add(pair);
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("can not get address information: localAddr " + local
                    + " and remoteAddr " + remote + " have no address family in common");
        }
        return pairs;
    }

    /** The addresses of {@code address}: itself if resolved, else what the loop's resolver finds. */
    private static List<InetSocketAddress> resolve(EventLoop loop, InetSocketAddress address, ProtocolFamily family)
            throws UnknownHostException {
        if (address.isUnresolved()) {
            return Resolver.ensureResolved(loop, address.getHostString(), address.getPort(), family);
        }
        if (!Resolver.matches(address.getAddress(), family)) {
            throw new UnknownHostException(Io.format(address) + " is not an address of family " + family);
        }
        return List.of(address);
    }

    private static DatagramChannel openSocket(ProtocolFamily family, DatagramOptions options) throws IOException {
        DatagramChannel sock = DatagramChannel.open(family);
        try {
            if (options.reusePort()) {
                try {
                    sock.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                } catch (UnsupportedOperationException e) {
                    throw new IllegalArgumentException("reusePort is not supported on this platform", e);
                }
            }
            if (options.allowBroadcast()) {
                sock.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            sock.configureBlocking(false);
            return sock;
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
    }

    private static void bind(DatagramChannel sock, InetSocketAddress local) throws IOException {
        try {
            sock.bind(local);
        } catch (IOException e) {
            throw Io.withAddress(e, "error while attempting to bind on address", local);
        }
    }

    private static void connect(DatagramChannel sock, InetSocketAddress remote) throws IOException {
        try {
            sock.connect(remote);
        } catch (IOException e) {
            throw Io.withAddress(e, "Connect call failed", remote);
        }
    }

    /** asyncio's {@code create_datagram_endpoint(sock=...)}: an endpoint over an existing socket. */
    public static <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(EventLoop loop,
            Supplier<? extends P> protocolFactory, DatagramChannel sock) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        try {
            sock.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            Io.closeQuietly(sock);
            throw e;
        }
        return endpointOver(loop, sock, null, null, protocolFactory);
    }

    /**
     * Makes the transport and protocol of {@code sock} and waits until {@code connectionMade} has
     * run. Closes the socket (or the transport) if anything fails or the task is cancelled.
     */
    private static <P extends DatagramProtocol> DatagramEndpoint<P> endpointOver(EventLoop loop, DatagramChannel sock,
            SocketAddress remote, ProtocolFamily family, Supplier<? extends P> protocolFactory) {
        P protocol;
        SelectorDatagramTransport transport;
        Future<Void> waiter = loop.createFuture();
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            transport = new SelectorDatagramTransport(loop, sock, protocol, remote, family, waiter);
        } catch (RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
        try {
            waiter.await();
        } catch (RuntimeException | Error e) {
            transport.close();
            throw e;
        }
        return new DatagramEndpoint<>(transport, protocol);
    }

    /** jasyncio's {@code openDatagramEndpoint}: an endpoint whose protocol is a {@link DatagramStream}. */
    public static DatagramStream openDatagramEndpoint(DatagramOptions options, int maxQueued) throws IOException {
        EventLoop loop = EventLoop.running();
        DatagramStream stream = new DatagramStream(maxQueued);
        createDatagramEndpoint(loop, () -> stream, options);
        return stream;
    }

    // ---------------------------------------------------------------- socket operations

    /** asyncio's {@code sock_recvfrom}; see {@link EventLoop#sockRecvfrom}. */
    public static Datagram sockRecvfrom(EventLoop loop, DatagramChannel sock, int bufsize) throws IOException {
        SocketOps.checkNonBlocking(sock);
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in recvfrom: " + bufsize);
        }
        NetLoop net = NetLoop.of(loop);
        Datagram d = receiveCopy(net, sock, bufsize);
        if (d != null) {
            return d;
        }
        Future<Datagram> fut = loop.createFuture();
        return SocketOps.awaitReady(loop, sock, false, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                Datagram r = receiveCopy(net, sock, bufsize);
                if (r != null) {
                    fut.setResult(r);
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    /** Receives one datagram, truncated to {@code bufsize} bytes, through the loop's read buffer; null if none is waiting. */
    private static Datagram receiveCopy(NetLoop net, DatagramChannel sock, int bufsize) throws IOException {
        ByteBuffer buf = net.readBuffer();
        buf.limit(Math.min(bufsize, buf.capacity()));
        SocketAddress from = sock.receive(buf);
        if (from == null) {
            return null;
        }
        byte[] data = new byte[buf.flip().remaining()];
        buf.get(data);
        return new Datagram(data, from);
    }

    /** asyncio's {@code sock_recvfrom_into}; see {@link EventLoop#sockRecvfromInto}. */
    public static SocketAddress sockRecvfromInto(EventLoop loop, DatagramChannel sock, ByteBuffer buf)
            throws IOException {
        SocketOps.checkNonBlocking(sock);
        Objects.requireNonNull(buf, "buf");
        SocketAddress from = sock.receive(buf);
        if (from != null) {
            return from;
        }
        Future<SocketAddress> fut = loop.createFuture();
        return SocketOps.awaitReady(loop, sock, false, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                SocketAddress r = sock.receive(buf);
                if (r != null) {
                    fut.setResult(r);
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    /** asyncio's {@code sock_sendto}; see {@link EventLoop#sockSendto}. */
    public static int sockSendto(EventLoop loop, DatagramChannel sock, ByteBuffer data, SocketAddress address)
            throws IOException {
        SocketOps.checkNonBlocking(sock);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            address = Resolver.ensureResolved(loop, inet.getHostString(), inet.getPort(), null).get(0);
        }
        SocketAddress target = address;
        SocketAddress peer = sock.getRemoteAddress();
        int size = data.remaining();
        if (peer != null && !peer.equals(target)) {
            throw new IllegalArgumentException("address must be the address the socket is connected to, "
                    + Io.format(peer) + ": " + Io.format(target));
        }
        if (peer != null && size == 0) {
            throw new UnsupportedOperationException("an empty datagram cannot be sent on a connected socket "
                    + "(to " + Io.format(target) + "): Java's DatagramChannel sends no zero-length datagram there");
        }
        if (size > 0 && send(sock, data, target) > 0) {
            return size;
        }
        // Not sent: the socket has no room. An empty datagram always gets here, because the JDK
        // reports 0 bytes sent whether or not it was: it is sent once the socket is writable.
        Future<Integer> fut = loop.createFuture();
        return SocketOps.awaitReady(loop, sock, true, fut, () -> {
            if (fut.done()) {
                return;
            }
            try {
                if (send(sock, data, target) > 0 || size == 0) {
                    fut.setResult(size);
                }
            } catch (IOException e) {
                fut.setException(e);
            }
        });
    }

    private static int send(DatagramChannel sock, ByteBuffer data, SocketAddress target) throws IOException {
        int size = data.remaining();
        try {
            return sock.send(data, target);
        } catch (IOException e) {
            throw sendFailure(e, size, target);
        }
    }

    /**
     * {@code e}, the failure to send a datagram of {@code size} bytes to {@code target}, with the
     * size and the address in its message, and the protocol's limit when the datagram exceeds it.
     */
    static IOException sendFailure(IOException e, int size, SocketAddress target) {
        boolean v6 = target instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
        int max = v6 ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
        String limit = size > max
                ? " (more than the " + max + " bytes a UDP datagram can carry over IPv" + (v6 ? 6 : 4) + ")" : "";
        IOException wrapped = Io.withAddress(e, "Cannot send a datagram of " + size + " bytes" + limit + " to", target);
        if (wrapped.getClass() == IOException.class) {
            // A connected DatagramChannel's write reports socket errors as plain IOExceptions.
            SocketException socketError = new SocketException(wrapped.getMessage());
            socketError.initCause(e);
            return socketError;
        }
        return wrapped;
    }
}
