package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A TCP echo server on the streams API, asyncio's {@code start_server} example: each client is
 * served by its own task, which sends every line back until the client closes.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-tour.jar io.jasyncio.examples.net.EchoServer [port]
 * </pre>
 *
 * Stop it with Ctrl-C: {@code Asyncio.run} cancels the main task, which closes the server.
 */
public final class EchoServer {
    private EchoServer() {
    }

    /** Serves one client: echoes each line until end of stream. */
    static void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            for (byte[] line : reader) {
                writer.write(line);
                writer.drain();
            }
        } finally {
            writer.close();
            writer.waitClosed();
        }
    }

    /** Starts the echo server on {@code host} and {@code port} (0: any free port). */
    public static Server start(String host, int port) throws IOException {
        return Asyncio.startServer(EchoServer::handleClient, host, port);
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> {
            try (Server server = start("localhost", port)) {
                InetSocketAddress address = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
                System.out.println("Serving on " + address);
                server.serveForever();
            }
        });
    }
}
