package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Handle;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.ClientConnectedCallback;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.TlsOptions;
import io.jasyncio.net.TlsTransport;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS variants of the connection, server and stream functions, and {@code startTls}: asyncio's
 * {@code ssl=} handling in {@code base_events} and {@code streams}. Each wraps the application
 * protocol in an {@link SslProtocol} and lets {@link Endpoints} make the TCP or Unix connection
 * under it; connections then wait for the handshake.
 */
public final class TlsEndpoints {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private TlsEndpoints() {
    }

    // ---------------------------------------------------------------- checking the options

    /** The context to use: the given one, else (clients only) the JDK's default. */
    private static SSLContext contextFor(TlsOptions ssl, boolean serverSide) {
        Objects.requireNonNull(ssl, "ssl");
        if (ssl.context() != null) {
            return ssl.context();
        }
        if (serverSide) {
            throw new IllegalArgumentException("Server side SSL needs a valid SSLContext");
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /**
     * The name a client checks and sends: the given {@code serverHostname}, else {@code host}.
     *
     * @throws IllegalArgumentException if there is neither, or the name is empty while
     *     {@code checkHostname} is on
     */
    private static String clientHostname(TlsOptions ssl, String host) {
        String name = ssl.serverHostname() != null ? ssl.serverHostname() : host == null || host.isEmpty() ? null : host;
        if (name == null) {
            throw new IllegalArgumentException("You must set serverHostname when using ssl without a host");
        }
        return checkedName(ssl, name);
    }

    private static String checkedName(TlsOptions ssl, String name) {
        if (name.isEmpty() && ssl.checkHostname()) {
            throw new IllegalArgumentException(
                    "checkHostname requires a serverHostname; use withCheckHostname(false) to connect without one");
        }
        return name;
    }

    private static void checkServerOptions(TlsOptions ssl) {
        if (ssl.serverHostname() != null) {
            throw new IllegalArgumentException("serverHostname is only meaningful for client connections: "
                    + ssl.serverHostname());
        }
    }

    /**
     * An engine for one connection. A client sends SNI for a host name (not for an address) and,
     * with {@code checkHostname}, has the JDK check the certificate against the name ("HTTPS"
     * endpoint identification). A server with ALPN protocols picks the first of them the client
     * offers, and goes on without ALPN when the client offers none of them, as OpenSSL does.
     */
    static SSLEngine newEngine(SSLContext context, TlsOptions ssl, boolean serverSide, String serverHostname,
            int peerPort) {
        SSLEngine engine = serverSide || serverHostname.isEmpty() ? context.createSSLEngine()
                : context.createSSLEngine(serverHostname, peerPort);
        engine.setUseClientMode(!serverSide);
        SSLParameters p = engine.getSSLParameters();
        List<String> alpn = ssl.alpnProtocols();
        if (serverSide) {
            if (!alpn.isEmpty()) {
                engine.setHandshakeApplicationProtocolSelector((e, offered) -> {
                    for (String mine : alpn) {
                        if (offered.contains(mine)) {
                            return mine;
                        }
                    }
                    return "";
                });
            }
        } else {
            if (!serverHostname.isEmpty()) {
                SNIHostName sni = sniName(serverHostname);
                if (sni != null) {
                    p.setServerNames(List.of(sni));
                }
                if (ssl.checkHostname()) {
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                }
            }
            if (!alpn.isEmpty()) {
                p.setApplicationProtocols(alpn.toArray(new String[0]));
            }
        }
        if (ssl.parameters() != null) {
            ssl.parameters().accept(p);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /**
     * The SNI name for {@code host}, as OpenSSL sends it: any name but an IP address, without the
     * trailing dot of a fully qualified name; null for an address or a name SNI cannot carry.
     */
    private static SNIHostName sniName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.indexOf(':') >= 0 || IPV4.matcher(name).matches()) {
            return null;
        }
        try {
            return new SNIHostName(name);
        } catch (IllegalArgumentException notAHostName) {
            return null;
        }
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }

    private static SslProtocol newProtocol(EventLoop loop, BaseProtocol app, SSLContext context, TlsOptions ssl,
            boolean serverSide, String serverHostname, int peerPort, Future<Void> waiter, boolean callConnectionMade) {
        SSLEngine engine = newEngine(context, ssl, serverSide, serverHostname, peerPort);
        return new SslProtocol(loop, app, context, engine, seconds(ssl.effectiveHandshakeTimeout()),
                seconds(ssl.effectiveShutdownTimeout()), waiter, callConnectionMade, serverSide && waiter == null);
    }

    // ---------------------------------------------------------------- connections

    /** The application protocol and its TLS layer of a connection being made, until the handshake ends. */
    private static final class Pending<P extends BaseProtocol> {
        private final EventLoop loop;
        private final Future<Void> handshake;
        private P app;
        private SslProtocol ssl;

        Pending(EventLoop loop) {
            this.loop = loop;
            this.handshake = loop.createFuture();
        }

        SslProtocol wrap(Supplier<? extends P> factory, SSLContext context, TlsOptions options, boolean serverSide,
                String serverHostname, int peerPort) {
            app = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            ssl = newProtocol(loop, app, context, options, serverSide, serverHostname, peerPort, handshake, true);
            return ssl;
        }

        /** Waits for the handshake; closes the connection if it fails or the task is cancelled. */
        Connection<P> finish() {
            try {
                handshake.await();
            } catch (Throwable e) {
                ssl.appTransport().close();
                throw e;
            }
            return new Connection<>(ssl.appTransport(), app);
        }
    }

    /** asyncio's {@code create_connection(..., ssl=...)}: TCP, then the handshake. */
    public static <P extends BaseProtocol> Connection<P> createConnection(EventLoop loop, Supplier<? extends P> protocolFactory,
            String host, int port, ConnectOptions options, TlsOptions ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, false);
        String name = clientHostname(ssl, host);
        Pending<P> pending = new Pending<>(loop);
        Endpoints.createConnection(loop, () -> pending.wrap(protocolFactory, context, ssl, false, name, port), host, port,
                options);
        return pending.finish();
    }

    /** asyncio's {@code create_connection(sock=..., ssl=..., server_hostname=...)}. */
    public static <P extends BaseProtocol> Connection<P> createConnection(EventLoop loop, Supplier<? extends P> protocolFactory,
            SocketChannel sock, TlsOptions ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, false);
        String name = clientHostname(ssl, null);
        Endpoints.checkConnected(sock);
        int port = sock.getRemoteAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        Pending<P> pending = new Pending<>(loop);
        Endpoints.createConnection(loop, () -> pending.wrap(protocolFactory, context, ssl, false, name, port), sock);
        return pending.finish();
    }

    /** asyncio's {@code connect_accepted_socket(..., ssl=...)}: the server side of a TLS connection. */
    public static <P extends BaseProtocol> Connection<P> connectAcceptedSocket(EventLoop loop,
            Supplier<? extends P> protocolFactory, SocketChannel sock, TlsOptions ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, true);
        checkServerOptions(ssl);
        Pending<P> pending = new Pending<>(loop);
        Endpoints.connectAcceptedSocket(loop, () -> pending.wrap(protocolFactory, context, ssl, true, "", -1), sock);
        return pending.finish();
    }

    /** asyncio's {@code create_unix_connection(..., ssl=..., server_hostname=...)}. */
    public static <P extends BaseProtocol> Connection<P> createUnixConnection(EventLoop loop,
            Supplier<? extends P> protocolFactory, Path path, TlsOptions ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, false);
        String name = clientHostname(ssl, null);
        Pending<P> pending = new Pending<>(loop);
        Endpoints.createUnixConnection(loop, () -> pending.wrap(protocolFactory, context, ssl, false, name, -1), path);
        return pending.finish();
    }

    /** asyncio's {@code create_unix_connection(sock=..., ssl=..., server_hostname=...)}. */
    public static <P extends BaseProtocol> Connection<P> createUnixConnection(EventLoop loop,
            Supplier<? extends P> protocolFactory, SocketChannel sock, TlsOptions ssl) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, false);
        String name = clientHostname(ssl, null);
        Pending<P> pending = new Pending<>(loop);
        Endpoints.createUnixConnection(loop, () -> pending.wrap(protocolFactory, context, ssl, false, name, -1), sock);
        return pending.finish();
    }

    // ---------------------------------------------------------------- servers

    /**
     * A factory giving each accepted connection the application's protocol under a server-side TLS
     * layer. Handshake failures close the connection; in debug mode they are reported to the
     * loop's exception handler, as asyncio's accept does.
     */
    private static Supplier<BaseProtocol> serverFactory(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            TlsOptions ssl) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        SSLContext context = contextFor(ssl, true);
        checkServerOptions(ssl);
        return () -> {
            BaseProtocol app = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            return newProtocol(loop, app, context, ssl, true, "", -1, null, true);
        };
    }

    /** asyncio's {@code create_server(..., ssl=...)}. */
    public static Server createServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts,
            int port, ServerOptions options, TlsOptions ssl) throws IOException {
        return Endpoints.createServer(loop, serverFactory(loop, protocolFactory, ssl), hosts, port, options);
    }

    /** asyncio's {@code create_server(sock=..., ssl=...)}. */
    public static Server createServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            ServerSocketChannel sock, ServerOptions options, TlsOptions ssl) throws IOException {
        return Endpoints.createServer(loop, serverFactory(loop, protocolFactory, ssl), sock, options);
    }

    /** asyncio's {@code create_unix_server(..., ssl=...)}. */
    public static Server createUnixServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, Path path,
            ServerOptions options, TlsOptions ssl) throws IOException {
        return Endpoints.createUnixServer(loop, serverFactory(loop, protocolFactory, ssl), path, options);
    }

    /** asyncio's {@code create_unix_server(sock=..., ssl=...)}. */
    public static Server createUnixServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory,
            ServerSocketChannel sock, ServerOptions options, TlsOptions ssl) throws IOException {
        return Endpoints.createUnixServer(loop, serverFactory(loop, protocolFactory, ssl), sock, options);
    }

    // ---------------------------------------------------------------- upgrading a connection

    /**
     * asyncio's {@code loop.start_tls}: puts a TLS layer between {@code transport} and
     * {@code protocol} and waits for the handshake. The protocol's {@code connectionMade} is not
     * called again.
     */
    public static TlsTransport startTls(EventLoop loop, Transport transport, BaseProtocol protocol, TlsOptions ssl,
            boolean serverSide) throws IOException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        SSLContext context = contextFor(ssl, serverSide);
        if (!(transport instanceof SocketTransport) && !(transport instanceof SslTransport)) {
            throw new IllegalArgumentException("transport " + transport + " is not supported by startTls()");
        }
        String name;
        if (serverSide) {
            checkServerOptions(ssl);
            name = "";
        } else {
            name = checkedName(ssl, Objects.requireNonNullElse(ssl.serverHostname(), ""));
        }
        int port = transport.getExtraInfo("peername") instanceof InetSocketAddress a ? a.getPort() : -1;
        Future<Void> waiter = loop.createFuture();
        SslProtocol tls = newProtocol(loop, protocol, context, ssl, serverSide, name, port, waiter, false);
        // Pause first so that no data reaches the TLS layer before its connectionMade.
        transport.pauseReading();
        transport.setProtocol(tls);
        Handle made = loop.callSoon(() -> tls.connectionMade(transport));
        Handle resume = loop.callSoon(transport::resumeReading);
        try {
            waiter.await();
        } catch (Throwable e) {
            transport.close();
            made.cancel();
            resume.cancel();
            throw e;
        }
        return tls.appTransport();
    }

    // ---------------------------------------------------------------- streams

    /** asyncio's {@code open_connection(host, port, ssl=...)}. */
    public static StreamConnection openConnection(String host, int port, int limit, ConnectOptions options, TlsOptions ssl)
            throws IOException {
        return Streams.open(limit, (loop, factory) -> createConnection(loop, factory, host, port, options, ssl));
    }

    /** asyncio's {@code open_connection(sock=..., ssl=..., server_hostname=...)}. */
    public static StreamConnection openConnection(SocketChannel sock, int limit, TlsOptions ssl) throws IOException {
        return Streams.open(limit, (loop, factory) -> createConnection(loop, factory, sock, ssl));
    }

    /** asyncio's {@code open_unix_connection(path, ssl=..., server_hostname=...)}. */
    public static StreamConnection openUnixConnection(Path path, int limit, TlsOptions ssl) throws IOException {
        return Streams.open(limit, (loop, factory) -> createUnixConnection(loop, factory, path, ssl));
    }

    /** asyncio's {@code open_unix_connection(sock=..., ssl=..., server_hostname=...)}. */
    public static StreamConnection openUnixConnection(SocketChannel sock, int limit, TlsOptions ssl) throws IOException {
        return Streams.open(limit, (loop, factory) -> createUnixConnection(loop, factory, sock, ssl));
    }

    /** asyncio's {@code start_server(client_connected_cb, host, port, ssl=...)}. */
    public static Server startServer(ClientConnectedCallback clientConnected, List<String> hosts, int port, int limit,
            ServerOptions options, TlsOptions ssl) throws IOException {
        EventLoop loop = EventLoop.running();
        return createServer(loop, Streams.factory(loop, clientConnected, limit), hosts, port, options, ssl);
    }

    /** asyncio's {@code start_server(client_connected_cb, sock=..., ssl=...)}. */
    public static Server startServer(ClientConnectedCallback clientConnected, ServerSocketChannel sock, int limit,
            ServerOptions options, TlsOptions ssl) throws IOException {
        EventLoop loop = EventLoop.running();
        return createServer(loop, Streams.factory(loop, clientConnected, limit), sock, options, ssl);
    }

    /** asyncio's {@code start_unix_server(client_connected_cb, path, ssl=...)}. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path, int limit,
            ServerOptions options, TlsOptions ssl) throws IOException {
        EventLoop loop = EventLoop.running();
        return createUnixServer(loop, Streams.factory(loop, clientConnected, limit), path, options, ssl);
    }

    /** asyncio's {@code start_unix_server(client_connected_cb, sock=..., ssl=...)}. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, ServerSocketChannel sock, int limit,
            ServerOptions options, TlsOptions ssl) throws IOException {
        EventLoop loop = EventLoop.running();
        return createUnixServer(loop, Streams.factory(loop, clientConnected, limit), sock, options, ssl);
    }
}
