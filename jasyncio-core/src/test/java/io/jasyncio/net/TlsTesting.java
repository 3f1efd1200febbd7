package io.jasyncio.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and contexts for the TLS tests. One self-signed EC certificate for {@code localhost}
 * and {@code 127.0.0.1} is made per test run by the running JDK's {@code keytool}, in a temporary
 * directory removed when the JVM exits; nothing is checked in.
 */
public final class TlsTesting {
    /** Protects a key that lives for one test run only. */
    private static final char[] PASSWORD = "jasyncio-test-run".toCharArray();
    private static final String ALIAS = "localhost";
    private static Material material;

    private TlsTesting() {
    }

    /**
     * The generated key material.
     *
     * @param keyStore the PKCS12 store holding the key and the certificate
     * @param certificate the self-signed certificate
     * @param certPem the certificate as a PEM file, for OpenSSL
     * @param keyPem the private key as a PKCS8 PEM file, for OpenSSL
     */
    public record Material(KeyStore keyStore, X509Certificate certificate, Path certPem, Path keyPem) {
    }

    /** The key material, generated on first use. */
    public static synchronized Material material() {
        if (material == null) {
            try {
                material = generate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | InterruptedException e) {
                throw new IllegalStateException("could not make the test certificate", e);
            }
        }
        return material;
    }

    private static Material generate() throws IOException, GeneralSecurityException, InterruptedException {
        Path dir = Files.createTempDirectory("jasyncio-tls-test");
        Path store = dir.resolve("localhost.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
        PrivateKey key = (PrivateKey) ks.getKey(ALIAS, PASSWORD);
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        for (Path f : List.of(dir, store, certPem, keyPem)) {
            f.toFile().deleteOnExit();
        }
        return new Material(ks, cert, certPem, keyPem);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A context holding the certificate's key (a server, or a client that authenticates) and trusting it. */
    public static SSLContext serverContext() {
        return context(true, true);
    }

    /** A context trusting only the test certificate. */
    public static SSLContext clientContext() {
        return context(false, true);
    }

    private static SSLContext context(boolean withKey, boolean trustTestCertificate) {
        try {
            Material m = material();
            KeyManagerFactory kmf = null;
            if (withKey) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(m.keyStore(), PASSWORD);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustTestCertificate) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry(ALIAS, m.certificate());
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf != null ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not make a test SSLContext", e);
        }
    }

    /** Server options with the test certificate. */
    public static TlsOptions serverOptions() {
        return TlsOptions.of(serverContext());
    }

    /** Client options trusting the test certificate and checking the name {@code localhost}. */
    public static TlsOptions clientOptions() {
        return TlsOptions.of(clientContext()).withServerHostname("localhost");
    }
}
