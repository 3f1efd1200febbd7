package io.jasyncio.internal.net;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.AsyncCallable;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimeoutError;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How connections and servers are made: asyncio's {@code create_connection},
 * {@code create_server}, {@code create_unix_connection}, {@code create_unix_server} and
 * {@code connect_accepted_socket}. Every method runs in a task and suspends it while names are
 * resolved and connections established.
 */
public final class Endpoints {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private Endpoints() {
    }

    // ---------------------------------------------------------------- connections

    /** asyncio's {@code create_connection(protocol_factory, host, port, ...)}. */
    public static <P extends BaseProtocol> Connection<P> createConnection(EventLoop loop, Supplier<? extends P> protocolFactory,
            String host, int port, ConnectOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        Resolver.checkPort(port);
        List<InetSocketAddress> infos = Resolver.ensureResolved(loop, host, port, options.family());
        List<InetSocketAddress> localInfos = null;
        InetSocketAddress local = options.localAddr();
        if (local != null) {
            localInfos = local.isUnresolved()
                    ? Resolver.ensureResolved(loop, local.getHostString(), local.getPort(), options.family())
                    : List.of(local);
        }
        int interleave = options.effectiveInterleave();
        if (interleave > 0) {
            infos = Resolver.interleave(infos, interleave);
        }
        List<List<IOException>> errors = new ArrayList<>();
        SocketChannel sock = null;
        List<InetSocketAddress> locals = localInfos;
        if (options.happyEyeballsDelay() == null) {
            for (InetSocketAddress address : infos) {
                try {
                    sock = connectSocket(loop, errors, address, locals);
                    break;
                } catch (IOException e) {
                    // Recorded in errors; try the next address.
                }
            }
        } else {
            List<AsyncCallable<SocketChannel>> attempts = new ArrayList<>(infos.size());
            for (InetSocketAddress address : infos) {
                attempts.add(() -> connectSocket(loop, errors, address, locals));
            }
            sock = StaggeredRace.run(loop, attempts, options.happyEyeballsDelay(), Io::closeQuietly).winnerResult();
        }
        if (sock == null) {
            throw connectFailure(errors, options.allErrors());
        }
        return connectionOver(loop, sock, protocolFactory);
    }

    /** Opens, binds and connects one socket; asyncio's {@code _connect_sock}. */
    private static SocketChannel connectSocket(EventLoop loop, List<List<IOException>> errors, InetSocketAddress address,
            List<InetSocketAddress> localAddresses) throws IOException {
        List<IOException> mine = new ArrayList<>();
        errors.add(mine);
        ProtocolFamily family = familyOf(address);
        SocketChannel sock = null;
        try {
            sock = SocketChannel.open(family);
            sock.configureBlocking(false);
            if (localAddresses != null) {
                bindLocal(sock, family, localAddresses, mine);
            }
            SocketOps.sockConnect(loop, sock, address);
            return sock;
        } catch (IOException e) {
            mine.add(e);
            Io.closeQuietly(sock);
            throw e;
        } catch (RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
    }

    private static void bindLocal(SocketChannel sock, ProtocolFamily family, List<InetSocketAddress> localAddresses,
            List<IOException> errors) throws IOException {
        for (InetSocketAddress local : localAddresses) {
            if (familyOf(local) != family) {
                continue;
            }
            try {
                sock.bind(local);
                return;
            } catch (IOException e) {
                errors.add(Io.withAddress(e, "error while attempting to bind on address", local));
            }
        }
        if (!errors.isEmpty()) {
            throw errors.remove(errors.size() - 1);
        }
        throw new SocketException("no matching local address with family=" + family + " found");
    }

    static ProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    /** The error create_connection raises when no attempt succeeded. */
    private static IOException connectFailure(List<List<IOException>> errors, boolean allErrors) {
        List<IOException> flat = new ArrayList<>();
        for (List<IOException> l : errors) {
            flat.addAll(l);
        }
        if (flat.isEmpty()) {
            throw new TimeoutError("create_connection failed");
        }
        if (allErrors) {
            IOException group = new IOException("create_connection failed: " + flat.size() + " attempts failed");
            flat.forEach(group::addSuppressed);
            return group;
        }
        if (flat.size() == 1) {
            return flat.get(0);
        }
        String model = String.valueOf(flat.get(0).getMessage());
        if (flat.stream().allMatch(e -> model.equals(String.valueOf(e.getMessage())))) {
            return flat.get(0);
        }
        StringBuilder msg = new StringBuilder("Multiple exceptions: ");
        for (int i = 0; i < flat.size(); i++) {
            msg.append(i == 0 ? "" : ", ").append(flat.get(i).getMessage());
        }
        IOException combined = new IOException(msg.toString());
        flat.forEach(combined::addSuppressed);
        return combined;
    }

    /** asyncio's {@code create_connection(sock=...)}: a transport over an already connected socket. */
    public static <P extends BaseProtocol> Connection<P> createConnection(EventLoop loop, Supplier<? extends P> protocolFactory,
            SocketChannel sock) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        checkConnected(sock);
        requireTask(loop, "wrapping a socket in a transport");
        return connectionOver(loop, sock, protocolFactory);
    }

    /** asyncio's {@code create_unix_connection(sock=...)}: as {@code create_connection(sock=...)} for a Unix socket only. */
    public static <P extends BaseProtocol> Connection<P> createUnixConnection(EventLoop loop,
            Supplier<? extends P> protocolFactory, SocketChannel sock) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        checkUnixConnected(sock);
        requireTask(loop, "wrapping a socket in a transport");
        return connectionOver(loop, sock, protocolFactory);
    }

    /**
     * Checks a socket given to be wrapped in a transport; the caller keeps it if it is refused.
     *
     * @throws IllegalArgumentException if {@code sock} is not connected (or is closed)
     */
    static void checkConnected(SocketChannel sock) {
        Objects.requireNonNull(sock, "sock");
        if (!sock.isConnected()) {
            throw new IllegalArgumentException("sock must be a connected socket: " + sock);
        }
    }

    /**
     * As {@link #checkConnected}, for a Unix-domain socket.
     *
     * @throws IllegalArgumentException also if {@code sock} is not a Unix-domain socket
     */
    static void checkUnixConnected(SocketChannel sock) throws IOException {
        checkConnected(sock);
        if (!(sock.getRemoteAddress() instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("A UNIX Domain Stream Socket was expected, got " + sock);
        }
    }

    /** asyncio's {@code create_unix_connection(protocol_factory, path)}. */
    public static <P extends BaseProtocol> Connection<P> createUnixConnection(EventLoop loop,
            Supplier<? extends P> protocolFactory, Path path) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        SocketChannel sock = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            sock.configureBlocking(false);
            SocketOps.sockConnect(loop, sock, UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
        return connectionOver(loop, sock, protocolFactory);
    }

    /**
     * Makes the transport and the protocol of a connected socket and waits until
     * {@code connectionMade} has run; asyncio's {@code _create_connection_transport}. Closes the
     * socket (or the transport) if anything fails or the task is cancelled.
     */
    public static <P extends BaseProtocol> Connection<P> connectionOver(EventLoop loop, SocketChannel sock,
            Supplier<? extends P> protocolFactory) throws IOException {
        P protocol;
        SocketTransport transport;
        Future<Void> waiter = loop.createFuture();
        try {
            sock.configureBlocking(false);
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            transport = new SocketTransport(loop, sock, protocol, waiter, null, null);
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
        try {
            waiter.await();
        } catch (RuntimeException | Error e) {
            transport.close();
            throw e;
        }
        return new Connection<>(transport, protocol);
    }

    // ---------------------------------------------------------------- servers

    /** asyncio's {@code create_server(protocol_factory, host, port, ...)}, for one or several hosts. */
    public static Server createServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts,
            int port, ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(options, "options");
        Resolver.checkPort(port);
        checkCanStartServing(loop, options);
        List<ServerSocketChannel> sockets = new ArrayList<>();
        boolean completed = false;
        try {
            for (InetSocketAddress address : listenAddresses(loop, hosts, port, options.family())) {
                ServerSocketChannel s = openListening(address, options);
                if (s != null) {
                    sockets.add(s);
                }
            }
            if (sockets.isEmpty()) {
                throw new SocketException("could not bind on any address out of " + hosts + " port " + port);
            }
            completed = true;
        } finally {
            if (!completed) {
                sockets.forEach(Io::closeQuietly);
            }
        }
        return serve(loop, new SocketServer(loop, sockets, protocolFactory, options.backlog(), options.keepAlive()), options);
    }

    /**
     * The addresses to listen on, without duplicates. No host (null or empty) means every
     * interface: one dual-stack IPv6 socket when the system has IPv6 (Java cannot set
     * {@code IPV6_V6ONLY}, so a separate IPv4 socket on the same port could not bind), else IPv4.
     */
    private static Set<InetSocketAddress> listenAddresses(EventLoop loop, List<String> hosts, int port,
            ProtocolFamily family) throws IOException {
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (String host : hosts) {
            if (host == null || host.isEmpty()) {
                addresses.add(family == StandardProtocolFamily.INET
                        ? new InetSocketAddress("0.0.0.0", port)
                        : family == StandardProtocolFamily.INET6 ? new InetSocketAddress("::", port)
                        : new InetSocketAddress(port));
            } else {
                addresses.addAll(Resolver.ensureResolved(loop, host, port, family));
            }
        }
        return addresses;
    }

    /** A bound, listening socket on {@code address}, or null if the address is not available here. */
    private static ServerSocketChannel openListening(InetSocketAddress address, ServerOptions options) throws IOException {
        ServerSocketChannel s = address.getAddress().isAnyLocalAddress() && options.family() == null
                ? ServerSocketChannel.open() : ServerSocketChannel.open(familyOf(address));
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress() == null || options.reuseAddress());
            if (options.reusePort()) {
                try {
                    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                } catch (UnsupportedOperationException e) {
                    throw new IllegalArgumentException("reusePort is not supported on this platform", e);
                }
            }
            s.configureBlocking(false);
            try {
                s.bind(address, options.backlog());
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("Cannot assign requested address")) {
                    // The address's family is not enabled here (bpo-30945): skip it, as asyncio does.
                    Io.closeQuietly(s);
                    return null;
                }
                throw Io.withAddress(e, "error while attempting to bind on address", address);
            }
            return s;
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(s);
            throw e;
        }
    }

    /** asyncio's {@code create_server(sock=...)}: serves on an existing listening socket. */
    public static Server createServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            ServerSocketChannel sock, ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(options, "options");
        checkCanStartServing(loop, options);
        listenOn(sock, options);
        return serve(loop, new SocketServer(loop, List.of(sock), protocolFactory, options.backlog(), options.keepAlive()),
                options);
    }

    /** Makes an existing server socket non-blocking and listening (binding it anywhere if unbound). */
    private static void listenOn(ServerSocketChannel sock, ServerOptions options) throws IOException {
        sock.configureBlocking(false);
        if (sock.getLocalAddress() == null) {
            sock.bind(null, options.backlog());
        }
    }

    /** asyncio's {@code create_unix_server(protocol_factory, path, ...)}. */
    public static Server createUnixServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, Path path,
            ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        checkUnixOptions(options);
        checkCanStartServing(loop, options);
        removeStaleSocketFile(path);
        ServerSocketChannel sock = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            sock.configureBlocking(false);
            sock.bind(UnixDomainSocketAddress.of(path), options.backlog());
        } catch (BindException e) {
            Io.closeQuietly(sock);
            BindException inUse = new BindException("Address '" + path + "' is already in use");
            inUse.initCause(e);
            throw inUse;
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(sock);
            throw e;
        }
        return unixServer(loop, protocolFactory, sock, options);
    }

    /** asyncio's {@code create_unix_server(sock=...)}. */
    public static Server createUnixServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            ServerSocketChannel sock, ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        checkUnixOptions(options);
        checkCanStartServing(loop, options);
        if (!(sock.getLocalAddress() instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("A UNIX Domain Stream Socket was expected, got " + sock);
        }
        listenOn(sock, options);
        return unixServer(loop, protocolFactory, sock, options);
    }

    private static Server unixServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            ServerSocketChannel sock, ServerOptions options) throws IOException {
        SocketServer server = new SocketServer(loop, List.of(sock), protocolFactory, options.backlog(), false);
        if (options.cleanupSocket()) {
            Path path = ((UnixDomainSocketAddress) sock.getLocalAddress()).getPath();
            if (!path.toString().isEmpty()) {
                try {
                    server.cleanUpOnClose(sock, new SocketServer.UnixSocketFile(path, Files.getAttribute(path, "unix:ino")));
                } catch (NoSuchFileException | UnsupportedOperationException e) {
                    // Nothing to clean up later.
                }
            }
        }
        return serve(loop, server, options);
    }

    private static void checkUnixOptions(ServerOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.family() != null || options.reuseAddress() != null || options.reusePort() || options.keepAlive()) {
            throw new IllegalArgumentException(
                    "family, reuseAddress, reusePort and keepAlive do not apply to Unix servers: " + options);
        }
    }

    /** Removes a socket file left by an earlier server at {@code path}; leaves any other file alone. */
    private static void removeStaleSocketFile(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK) {
                Files.delete(path);
            }
        } catch (NoSuchFileException absent) {
            // Nothing stale to remove.
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.ERROR, "Unable to check or remove stale UNIX socket " + path, e);
        }
    }

    /**
     * Refuses a call that will have to suspend unless a task of {@code loop} makes it, before the
     * call has any effect: otherwise a given socket would be closed, or a server left listening,
     * with nobody to receive it.
     *
     * @throws IllegalStateException if no task of {@code loop} is running on this thread
     */
    static void requireTask(EventLoop loop, String what) {
        if (Asyncio.getRunningLoop() != loop || Asyncio.currentTask(loop) == null) {
            throw new IllegalStateException(what + " suspends, so it must be called from a task of " + loop
                    + "; no task of it is running");
        }
    }

    /** A server that starts serving skips one loop iteration before it is returned, which only a task can do. */
    private static void checkCanStartServing(EventLoop loop, ServerOptions options) {
        if (options.startServing()) {
            requireTask(loop, "creating a server that starts serving (startServing true)");
        }
    }

    private static Server serve(EventLoop loop, SocketServer server, ServerOptions options) {
        if (options.startServing()) {
            server.beginServing();
            try {
                // Skip one loop iteration so that the sockets are watched when this returns.
                Asyncio.sleep(0);
            } catch (RuntimeException | Error e) {
                // Cancelled (or unable to suspend): the caller never receives the server, so close
                // it rather than leave it serving.
                server.close();
                throw e;
            }
        }
        return server;
    }

    /** asyncio's {@code connect_accepted_socket}: a transport over a socket accepted elsewhere. */
    public static <P extends BaseProtocol> Connection<P> connectAcceptedSocket(EventLoop loop,
            Supplier<? extends P> protocolFactory, SocketChannel sock) throws IOException {
        return createConnection(loop, protocolFactory, sock);
    }
}
