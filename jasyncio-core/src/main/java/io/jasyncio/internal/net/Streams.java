package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.net.ClientConnectedCallback;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamReaderProtocol;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's stream functions ({@code open_connection}, {@code start_server} and their Unix
 * variants): the connection and server functions of {@link Endpoints} with a
 * {@link StreamReaderProtocol} in between.
 */
public final class Streams {
    private Streams() {
    }

    /** Makes a connection whose protocol comes from {@code factory}: one of the connection functions. */
    @FunctionalInterface
    interface Connector {
        Connection<StreamReaderProtocol> connect(EventLoop loop, Supplier<StreamReaderProtocol> factory)
                throws IOException;
    }

    /**
     * The body of every {@code open_..._connection}: a reader with {@code limit}, its protocol,
     * the connection {@code connector} makes for it, and the writer.
     */
    static StreamConnection open(int limit, Connector connector) throws IOException {
        EventLoop loop = EventLoop.running();
        StreamReader reader = new StreamReader(limit, loop);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader, null, loop);
        Connection<StreamReaderProtocol> c = connector.connect(loop, () -> protocol);
        return new StreamConnection(reader, new StreamWriter(c.transport(), protocol, reader, loop));
    }

    /** asyncio's {@code open_connection(host, port, limit=..., ...)}. */
    public static StreamConnection openConnection(String host, int port, int limit, ConnectOptions options)
            throws IOException {
        return open(limit, (loop, factory) -> Endpoints.createConnection(loop, factory, host, port, options));
    }

    /** asyncio's {@code open_connection(sock=..., limit=...)}. */
    public static StreamConnection openConnection(SocketChannel sock, int limit) throws IOException {
        return open(limit, (loop, factory) -> Endpoints.createConnection(loop, factory, sock));
    }

    /** asyncio's {@code open_unix_connection(path, limit=...)}. */
    public static StreamConnection openUnixConnection(Path path, int limit) throws IOException {
        return open(limit, (loop, factory) -> Endpoints.createUnixConnection(loop, factory, path));
    }

    /** asyncio's {@code open_unix_connection(sock=..., limit=...)}. */
    public static StreamConnection openUnixConnection(SocketChannel sock, int limit) throws IOException {
        return open(limit, (loop, factory) -> Endpoints.createUnixConnection(loop, factory, sock));
    }

    /** asyncio's {@code start_server(client_connected_cb, host, port, limit=..., ...)}. */
    public static Server startServer(ClientConnectedCallback clientConnected, List<String> hosts, int port, int limit,
            ServerOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        return Endpoints.createServer(loop, factory(loop, clientConnected, limit), hosts, port, options);
    }

    /** asyncio's {@code start_server(client_connected_cb, sock=..., limit=..., ...)}. */
    public static Server startServer(ClientConnectedCallback clientConnected, ServerSocketChannel sock, int limit,
            ServerOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        return Endpoints.createServer(loop, factory(loop, clientConnected, limit), sock, options);
    }

    /** asyncio's {@code start_unix_server(client_connected_cb, path, limit=..., ...)}. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, Path path, int limit,
            ServerOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        return Endpoints.createUnixServer(loop, factory(loop, clientConnected, limit), path, options);
    }

    /** asyncio's {@code start_unix_server(client_connected_cb, sock=..., limit=..., ...)}. */
    public static Server startUnixServer(ClientConnectedCallback clientConnected, ServerSocketChannel sock, int limit,
            ServerOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        return Endpoints.createUnixServer(loop, factory(loop, clientConnected, limit), sock, options);
    }

    /** The protocol factory of a stream server; also used by the TLS servers of {@link TlsEndpoints}. */
    static Supplier<StreamReaderProtocol> factory(EventLoop loop, ClientConnectedCallback clientConnected,
            int limit) {
        Objects.requireNonNull(clientConnected, "clientConnected");
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
        }
        return () -> new StreamReaderProtocol(new StreamReader(limit, loop), clientConnected, loop);
    }
}
