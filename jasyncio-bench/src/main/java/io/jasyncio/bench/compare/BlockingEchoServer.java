package io.jasyncio.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Echo server on plain blocking sockets, one virtual thread per connection: what the JDK gives
 * for free. Uses the default virtual-thread scheduler (one carrier thread per core).
 */
final class BlockingEchoServer implements ServerMain.EchoServer {
    private static final Thread.Builder VIRTUAL = Thread.ofVirtual().name("echo-", 0);
    private final ServerSocket listener;

    private BlockingEchoServer(ServerSocket listener) {
        this.listener = listener;
    }

    static BlockingEchoServer start(InetSocketAddress address) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(address, ServerMain.BACKLOG);
        BlockingEchoServer server = new BlockingEchoServer(listener);
        VIRTUAL.start(server::acceptLoop);
        return server;
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                VIRTUAL.start(() -> echo(socket));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    e.printStackTrace();
                }
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A peer that resets the connection ends its echo loop; nothing else to do.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
