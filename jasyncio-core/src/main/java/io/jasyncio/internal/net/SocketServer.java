package io.jasyncio.internal.net;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimerHandle;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.TransportSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * asyncio's {@code Server} for TCP and Unix-domain listening sockets: accepts connections and
 * makes a {@link SocketTransport} and a protocol for each. See {@link Server} for the contract.
 */
public final class SocketServer implements Server {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** How long accepting pauses after accept() failed, e.g. out of file descriptors (asyncio's constant). */
    static final double ACCEPT_RETRY_DELAY = 1.0;

    private final EventLoop loop;
    private List<ServerSocketChannel> sockets;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final int backlog;
    private final boolean keepAlive;
    /** Unix sockets whose file this server removes when closed, with the file's inode at creation. */
    private final Map<ServerSocketChannel, UnixSocketFile> unixFiles = new IdentityHashMap<>();
    private final Map<ServerSocketChannel, TimerHandle> acceptRetries = new IdentityHashMap<>();
    private final Set<SelectorTransport> clients = new LinkedHashSet<>();
    /** Tasks in waitClosed(); null once the server is closed and every client is gone. */
    private List<Future<Void>> waiters = new ArrayList<>();
    private boolean serving;
    private Future<Void> servingForever;

    /** A Unix socket's file and its inode when the server bound it. */
    record UnixSocketFile(Path path, Object inode) {
    }

    /**
     * A server over bound listening {@code sockets}, not yet accepting.
     *
     * @param keepAlive whether accepted connections get {@code SO_KEEPALIVE}
     */
    public SocketServer(EventLoop loop, List<ServerSocketChannel> sockets, Supplier<? extends BaseProtocol> protocolFactory,
            int backlog, boolean keepAlive) {
        this.loop = loop;
        this.sockets = new ArrayList<>(sockets);
        this.protocolFactory = protocolFactory;
        this.backlog = backlog;
        this.keepAlive = keepAlive;
    }

    /** Removes {@code file} when the server closes, if it is still the socket this server bound. */
    void cleanUpOnClose(ServerSocketChannel socket, UnixSocketFile file) {
        unixFiles.put(socket, file);
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public List<TransportSocket> sockets() {
        List<ServerSocketChannel> s = sockets;
        if (s == null) {
            return List.of();
        }
        List<TransportSocket> views = new ArrayList<>(s.size());
        for (ServerSocketChannel c : s) {
            views.add(new TransportSocket(c));
        }
        return List.copyOf(views);
    }

    /** Starts accepting on every socket; asyncio's {@code _start_serving}. */
    void beginServing() {
        if (serving) {
            return;
        }
        if (sockets == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        serving = true;
        for (ServerSocketChannel s : sockets) {
            watch(s);
        }
    }

    private void watch(ServerSocketChannel socket) {
        loop.addReader(socket, () -> acceptConnections(socket));
    }

    /**
     * Accepts the connections waiting on {@code socket}, up to the backlog per loop iteration
     * (asyncio's {@code _accept_connection}).
     */
    private void acceptConnections(ServerSocketChannel socket) {
        for (int i = 0; i < backlog; i++) {
            SocketChannel conn;
            try {
                conn = socket.accept();
            } catch (IOException e) {
                pauseAccepting(socket, e);
                return;
            }
            if (conn == null) {
                return;
            }
            connectionAccepted(conn);
        }
    }

    /**
     * accept() failed, typically out of file descriptors: readiness would be reported again at
     * once, so stop watching the socket for a while.
     */
    private void pauseAccepting(ServerSocketChannel socket, IOException e) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", "socket.accept() out of system resource");
        context.put("exception", e);
        context.put("socket", new TransportSocket(socket));
        loop.callExceptionHandler(context);
        loop.removeReader(socket);
        acceptRetries.put(socket, loop.callLater(ACCEPT_RETRY_DELAY, () -> {
            acceptRetries.remove(socket);
            if (sockets != null && serving) {
                watch(socket);
            }
        }));
    }

    private void connectionAccepted(SocketChannel conn) {
        BaseProtocol protocol = null;
        try {
            conn.configureBlocking(false);
            if (keepAlive) {
                conn.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            }
            SocketAddress peer = conn.getRemoteAddress();
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            new SocketTransport(loop, conn, protocol, null, peer, this);
        } catch (IOException | RuntimeException | Error e) {
            Io.closeQuietly(conn);
            if (loop.getDebug()) {
                Map<String, Object> context = new HashMap<>();
                context.put("message", "Error on transport creation for incoming connection");
                context.put("exception", e);
                if (protocol != null) {
                    context.put("protocol", protocol);
                }
                loop.callExceptionHandler(context);
            }
        }
    }

    void attach(SelectorTransport transport) {
        clients.add(transport);
    }

    void detach(SelectorTransport transport) {
        clients.remove(transport);
        if (clients.isEmpty() && sockets == null) {
            wakeUp();
        }
    }

    private void wakeUp() {
        List<Future<Void>> w = waiters;
        waiters = null;
        if (w == null) {
            return;
        }
        for (Future<Void> f : w) {
            if (!f.done()) {
                f.setResult(null);
            }
        }
    }

    @Override
    public void close() {
        List<ServerSocketChannel> s = sockets;
        if (s == null) {
            return;
        }
        sockets = null;
        for (ServerSocketChannel socket : s) {
            stopServing(socket);
        }
        serving = false;
        Future<Void> forever = servingForever;
        if (forever != null && !forever.done()) {
            forever.cancel();
            servingForever = null;
        }
        if (clients.isEmpty()) {
            wakeUp();
        }
    }

    private void stopServing(ServerSocketChannel socket) {
        loop.removeReader(socket);
        TimerHandle retry = acceptRetries.remove(socket);
        if (retry != null) {
            retry.cancel();
        }
        Io.closeQuietly(socket);
        UnixSocketFile file = unixFiles.remove(socket);
        if (file != null) {
            removeSocketFile(file);
        }
    }

    /** Removes the socket file unless someone else replaced it meanwhile (asyncio 3.13). */
    private static void removeSocketFile(UnixSocketFile file) {
        try {
            if (Objects.equals(Files.getAttribute(file.path(), "unix:ino"), file.inode())) {
                Files.delete(file.path());
            }
        } catch (NoSuchFileException gone) {
            // Someone else removed it: nothing to clean up.
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.ERROR, "Unable to clean up listening UNIX socket " + file.path(), e);
        }
    }

    @Override
    public void closeClients() {
        for (SelectorTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    @Override
    public void abortClients() {
        for (SelectorTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    @Override
    public void startServing() {
        Endpoints.requireTask(loop, "startServing()");
        beginServing();
        Asyncio.sleep(0);
    }

    @Override
    public void serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serve_forever()");
        }
        if (sockets == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        beginServing();
        Future<Void> forever = loop.createFuture();
        servingForever = forever;
        try {
            forever.await();
        } catch (CancelledError e) {
            close();
            try {
                waitClosed();
            } catch (RuntimeException | Error inner) {
                e.addSuppressed(inner);
            }
            throw e;
        } finally {
            servingForever = null;
        }
    }

    @Override
    public void waitClosed() {
        List<Future<Void>> w = waiters;
        if (w == null) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        w.add(waiter);
        waiter.await();
    }

    @Override
    public String toString() {
        return "Server[sockets=" + sockets() + "]";
    }
}
