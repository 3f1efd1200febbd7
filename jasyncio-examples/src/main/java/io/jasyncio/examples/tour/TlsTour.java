package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Tour section for TLS: a jasyncio TLS server and client with a certificate made on the spot. */
public final class TlsTour {
    private static final char[] PASSWORD = "tour only".toCharArray();

    private TlsTour() {
    }

    public static List<Section> sections() {
        return List.of(new Section("TLS", TlsTour::echo));
    }

    static String echo() {
        return Asyncio.run(() -> {
            KeyStore keys = Asyncio.toThread(TlsTour::selfSignedKeyStore);
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(reader.readline());
                writer.close();
            }, "127.0.0.1", 0, TlsOptions.of(serverContext(keys)));
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            StreamConnection c = Asyncio.openConnection("localhost", port, TlsOptions.of(clientContext(keys)));
            c.writer().write("hello over TLS\n".getBytes(StandardCharsets.UTF_8));
            String echoed = new String(c.reader().read(), StandardCharsets.UTF_8);
            Object version = c.writer().getExtraInfo("tls_version");
            Object cipher = c.writer().getExtraInfo("cipher");
            c.writer().close();
            server.close();
            server.waitClosed();
            check(echoed.equals("hello over TLS\n"), "echoed " + echoed);
            return "echo through a jasyncio TLS server, hostname verified, " + version + " " + cipher;
        });
    }

    private static KeyStore selfSignedKeyStore() throws Exception {
        Path dir = Files.createTempDirectory("tour-tls");
        Path file = dir.resolve("localhost.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "1", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        Files.delete(file);
        Files.delete(dir);
        return ks;
    }

    private static SSLContext serverContext(KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static SSLContext clientContext(KeyStore ks) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
