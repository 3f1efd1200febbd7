package io.jasyncio.bench.compare;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * jasyncio's echo servers, written as an asyncio user would write them: with streams
 * ({@code startServer}, a task per client that reads, writes and drains) or with a protocol
 * ({@code createServer}, {@code dataReceived} writes the bytes back). One loop, on the thread
 * that calls {@link #serve}.
 */
final class JasyncioEchoServer {
    private JasyncioEchoServer() {
    }

    /**
     * Runs the server on a new loop until {@code untilClosed} returns (it runs on the loop's
     * executor), printing {@code backend <name>} and {@code LISTENING <port>} once it accepts.
     *
     * @param api "streams" or "protocol"
     */
    static void serve(String api, InetSocketAddress address, java.util.concurrent.Callable<Void> untilClosed) {
        Asyncio.run(() -> {
            System.out.println("backend " + EventLoop.running().backendName());
            ServerOptions options = ServerOptions.DEFAULT.withBacklog(ServerMain.BACKLOG);
            String host = address.getHostString();
            try (Server server = switch (api) {
                case "streams" -> Asyncio.startServer(JasyncioEchoServer::echo, host, address.getPort(),
                        StreamReader.DEFAULT_LIMIT, options);
                case "protocol" -> EventLoop.running().createServer(EchoProtocol::new, host, address.getPort(), options);
                default -> throw new IllegalArgumentException("api must be streams or protocol: " + api);
            }) {
                InetSocketAddress bound = (InetSocketAddress) server.sockets().getFirst().getLocalAddress();
                System.out.println("LISTENING " + bound.getPort());
                System.out.flush();
                Asyncio.toThread(untilClosed);
            }
            return null;
        });
    }

    /** The streams echo: asyncio's {@code data = await reader.read(65536); writer.write(data); await writer.drain()}. */
    private static void echo(StreamReader reader, StreamWriter writer) {
        try (writer) {
            byte[] data;
            while ((data = reader.read(65536)).length > 0) {
                writer.write(data);
                writer.drain();
            }
        } catch (IOException e) {
            // A peer that resets the connection ends its echo loop; nothing else to do.
        }
    }

    /** The protocol echo: every received byte is written straight back. */
    private static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }
}
