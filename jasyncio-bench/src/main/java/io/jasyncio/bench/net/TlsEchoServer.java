package io.jasyncio.bench.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.net.Server;
import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A one-loop-thread TLS echo server for {@link TlsEchoBench}: {@code protocol} echoes from
 * {@code dataReceived}, {@code streams} from a {@code read}/{@code write}/{@code drain} loop per
 * connection. Its certificate comes from a PKCS12 key store. Prints {@code listening PORT} and
 * serves until its standard input ends.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar io.jasyncio.bench.net.TlsEchoServer protocol KEYSTORE PASSWORD
 * </pre>
 */
public final class TlsEchoServer {
    private TlsEchoServer() {
    }

    /** A server context with the key and certificate of the PKCS12 store at {@code keyStore}. */
    static SSLContext serverContext(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        TlsOptions tls = TlsOptions.of(serverContext(Path.of(args[1]), args[2].toCharArray()));
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = switch (mode) {
                case "protocol" -> loop.createServer(TcpEchoServer.EchoProtocol::new, "127.0.0.1", 0, tls);
                case "streams" -> Asyncio.startServer((reader, writer) -> {
                    try {
                        byte[] data;
                        while ((data = reader.read(64 * 1024)).length > 0) {
                            writer.write(data);
                            writer.drain();
                        }
                    } catch (IOException reset) {
                        // The load generator ends a measurement by dropping its connections.
                    }
                    writer.close();
                }, "127.0.0.1", 0, tls);
                default -> throw new IllegalArgumentException("mode must be protocol or streams: " + mode);
            };
            Task<?> serving = Asyncio.createTask(() -> {
                try (server) {
                    server.serveForever();
                }
            });
            System.out.println("listening " + ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort());
            System.out.flush();
            TcpEchoServer.stopWhenStdinEnds(loop, serving);
            try {
                serving.await();
            } catch (io.jasyncio.CancelledError stopped) {
                // Standard input ended: the benchmark is over.
            }
            return null;
        });
    }
}
