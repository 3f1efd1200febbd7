package io.jasyncio.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * Child process of the comparison that runs one Java echo server:
 * {@code ServerMain <jasyncio-streams|jasyncio-protocol|blocking|netty-nio|netty-epoll>}. It listens on
 * 127.0.0.1 on a port the OS chooses, prints {@code LISTENING <port>} (a jasyncio server first prints
 * {@code backend <name>}), and serves until its standard input closes: the same protocol as
 * asyncio_peer.py's servers.
 */
public final class ServerMain {
    /** Listen backlog of every server, large enough for workload 7's burst of connections. */
    static final int BACKLOG = 4096;

    private ServerMain() {
    }

    /** An echo server running in this process. */
    interface EchoServer extends AutoCloseable {
        /** The bound port. */
        int port();

        @Override
        void close() throws Exception;
    }

    /**
     * Serves as the class comment says until standard input closes, then exits.
     *
     * @throws IllegalArgumentException on bad usage, naming the argument
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ServerMain <jasyncio-streams|jasyncio-protocol|blocking|netty-nio|netty-epoll>");
        }
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        if (args[0].startsWith("jasyncio-")) {
            JasyncioEchoServer.serve(args[0].substring("jasyncio-".length()), any, () -> {
                awaitEndOfInput(System.in);
                return null;
            });
            System.exit(0);
        }
        try (EchoServer server = start(args[0], any)) {
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            awaitEndOfInput(System.in);
        }
        System.exit(0);
    }

    static EchoServer start(String kind, InetSocketAddress address) throws Exception {
        return switch (kind) {
            case "blocking" -> BlockingEchoServer.start(address);
            case "netty-nio" -> NettyEchoServer.start(address, false);
            case "netty-epoll" -> NettyEchoServer.start(address, true);
            default -> throw new IllegalArgumentException("server must be blocking, netty-nio or netty-epoll: " + kind);
        };
    }

    private static void awaitEndOfInput(InputStream in) throws IOException {
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            // The parent never writes; it only closes the pipe to stop the server.
        }
    }
}
