package io.jasyncio.bench.net;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.BufferedProtocol;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A one-loop-thread TCP echo server for {@link TcpEchoBench}: {@code protocol} echoes from
 * {@link Protocol#dataReceived}, {@code buffered} from a {@link BufferedProtocol}, {@code streams}
 * from a {@code read}/{@code write}/{@code drain} loop per connection. Prints {@code listening PORT}
 * and serves until its standard input ends.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar io.jasyncio.bench.net.TcpEchoServer streams 0
 * </pre>
 */
public final class TcpEchoServer {
    private TcpEchoServer() {
    }

    /** Echoes what arrives, straight from the loop's read buffer. */
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Echoes from its own buffer, which the transport reads into. */
    static final class BufferedEchoProtocol implements BufferedProtocol {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            transport.write(buffer.flip());
        }
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "protocol";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = switch (mode) {
                case "protocol" -> loop.createServer(EchoProtocol::new, "127.0.0.1", port);
                case "buffered" -> loop.createServer(BufferedEchoProtocol::new, "127.0.0.1", port);
                case "streams" -> Asyncio.startServer((reader, writer) -> {
                    byte[] data;
                    while ((data = reader.read(64 * 1024)).length > 0) {
                        writer.write(data);
                        writer.drain();
                    }
                    writer.close();
                }, "127.0.0.1", port);
                default -> throw new IllegalArgumentException("mode must be protocol, buffered or streams: " + mode);
            };
            Task<?> serving = Asyncio.createTask(() -> {
                try (server) {
                    server.serveForever();
                }
            });
            System.out.println("listening " + ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort());
            System.out.flush();
            stopWhenStdinEnds(loop, serving);
            try {
                serving.await();
            } catch (CancelledError stopped) {
                // Standard input ended: the benchmark is over.
            }
            return null;
        });
    }

    /** Cancels {@code serving} on {@code loop} once standard input ends; also used by {@link TlsEchoServer}. */
    static void stopWhenStdinEnds(EventLoop loop, Task<?> serving) {
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = System.in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // Treated as the end of input.
            }
            loop.callSoonThreadsafe(serving::cancel);
        });
    }
}
