package io.jasyncio.bench.net;

import io.jasyncio.bench.Python;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS echo servers measured by {@link TlsLoadGenerator} in this process: {@link TlsEchoServer}
 * (jasyncio, one loop thread, {@code protocol} and {@code streams}) in a child JVM with this JVM's
 * flags and, when {@code python3} is on the PATH, CPython asyncio's TLS echo server
 * ({@code tls_echo_server.py}) for reference. Three loads: round trips of 64-byte messages on 50
 * connections, bulk echo on one connection (64 KiB writes), and full handshakes from 4 threads.
 * The certificate (EC P-256, self-signed) is made for the run by the JDK's {@code keytool}. Each
 * server first runs every load for 10 s unmeasured (the JIT compiles the JDK's TLS code late).
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar io.jasyncio.bench.net.TlsEchoBench [runs] [seconds]
 * </pre>
 */
public final class TlsEchoBench {
    private static final int CONNECTIONS = 50;
    private static final int SIZE = 64;
    private static final int BULK_CONNECTIONS = 1;
    private static final int CHUNK = 64 * 1024;
    private static final int HANDSHAKE_THREADS = 4;
    private static final double WARMUP_SECONDS = 3;
    /** Before the runs, each load runs this long unmeasured, so that the JIT has compiled the TLS code. */
    private static final double JIT_WARMUP_SECONDS = 10;

    private TlsEchoBench() {
    }

    /** The run's certificate: a PKCS12 store for jasyncio, PEM files for CPython. */
    private record Material(Path keyStore, char[] password, Path certPem, Path keyPem, SSLContext client) {
    }

    /** What one server measured under the three loads, {@code runs} times each. */
    private record Measured(String name, String cipher, TlsLoadGenerator.Result[] trips, TlsLoadGenerator.Result[] bulk,
            TlsLoadGenerator.Result[] handshakes) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Material m = material();
        String backend = System.getProperty("jasyncio.backend", "auto");
        List<Measured> all = new ArrayList<>();
        for (String mode : List.of("protocol", "streams")) {
            all.add(measure("jasyncio " + mode, javaServer(mode, m), m, runs, seconds));
        }
        Path script = pythonScript();
        if (script != null) {
            for (String mode : List.of("protocol", "streams")) {
                all.add(measure("CPython asyncio " + mode, List.of("python3", script.toString(), mode,
                        m.certPem().toString(), m.keyPem().toString()), m, runs, seconds));
            }
        }
        System.out.printf(Locale.ROOT, "TLS echo, EC P-256 certificate; %.0f s unmeasured per load, then %d runs of %.0f s "
                + "after %.0f s warm-up; jasyncio backend %s; Java %s%n", JIT_WARMUP_SECONDS, runs, seconds, WARMUP_SECONDS,
                backend, Runtime.version());
        for (Measured ms : all) {
            System.out.printf("%s negotiated %s%n", ms.name(), ms.cipher());
        }
        System.out.printf(Locale.ROOT, "%nRound trips: %d connections, %d-byte messages%n%n", CONNECTIONS, SIZE);
        table(all, Measured::trips, "round trips/s", 1, "server CPU per round trip");
        System.out.printf(Locale.ROOT, "%nBulk echo: %d connection, %d KiB writes, every byte checked%n%n", BULK_CONNECTIONS,
                CHUNK / 1024);
        table(all, Measured::bulk, "MiB/s echoed", 1024 * 1024, "server CPU per MiB");
        System.out.printf(Locale.ROOT, "%nFull handshakes (no resumption): %d client threads, connect, handshake, close%n%n",
                HANDSHAKE_THREADS);
        table(all, Measured::handshakes, "handshakes/s", 1, "server CPU per handshake");
        if (script == null) {
            System.out.println("\nCPython asyncio: n/a (no python3 on the PATH)");
        }
    }

    private static List<String> javaServer(String mode, Material m) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TlsEchoServer.class.getName());
        command.add(mode);
        command.add(m.keyStore().toString());
        command.add(new String(m.password()));
        return command;
    }

    /** Starts the server, measures each load {@code runs} times, stops the server. */
    private static Measured measure(String name, List<String> serverCommand, Material m, int runs, double seconds)
            throws Exception {
        Process server = new ProcessBuilder(serverCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("listening ")) {
                throw new IOException("the server did not start: " + line);
            }
            int port = Integer.parseInt(line.substring("listening ".length()).trim());
            String cipher = negotiatedCipher(m.client(), port);
            ProcessHandle h = server.toHandle();
            TlsLoadGenerator.roundTrips(m.client(), "127.0.0.1", port, CONNECTIONS, SIZE, 0, JIT_WARMUP_SECONDS, h);
            TlsLoadGenerator.bulk(m.client(), "127.0.0.1", port, BULK_CONNECTIONS, CHUNK, 0, JIT_WARMUP_SECONDS, h);
            TlsLoadGenerator.handshakes(m.client(), "127.0.0.1", port, HANDSHAKE_THREADS, 0, JIT_WARMUP_SECONDS, h);
            TlsLoadGenerator.Result[] trips = new TlsLoadGenerator.Result[runs];
            TlsLoadGenerator.Result[] bulk = new TlsLoadGenerator.Result[runs];
            TlsLoadGenerator.Result[] handshakes = new TlsLoadGenerator.Result[runs];
            for (int i = 0; i < runs; i++) {
                trips[i] = TlsLoadGenerator.roundTrips(m.client(), "127.0.0.1", port, CONNECTIONS, SIZE, WARMUP_SECONDS,
                        seconds, h);
                bulk[i] = TlsLoadGenerator.bulk(m.client(), "127.0.0.1", port, BULK_CONNECTIONS, CHUNK, WARMUP_SECONDS,
                        seconds, h);
                handshakes[i] = TlsLoadGenerator.handshakes(m.client(), "127.0.0.1", port, HANDSHAKE_THREADS,
                        WARMUP_SECONDS, seconds, h);
            }
            return new Measured(name, cipher, trips, bulk, handshakes);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String negotiatedCipher(SSLContext client, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.startHandshake();
            return s.getSession().getProtocol() + " " + s.getSession().getCipherSuite();
        }
    }

    /**
     * One row per server: the median over the runs of {@code what} (divided by {@code unit}) with
     * its range, and the median server CPU per operation (times {@code unit}).
     */
    private static void table(List<Measured> all, java.util.function.Function<Measured, TlsLoadGenerator.Result[]> what,
            String rate, double unit, String cpuHeading) {
        System.out.printf("| server | %s, median [min-max] | %s, median |%n|---|---|---|%n", rate, cpuHeading);
        for (Measured ms : all) {
            TlsLoadGenerator.Result[] r = what.apply(ms);
            double[] rates = sorted(r, x -> x.perSecond() / unit);
            double[] cpu = sorted(r, x -> x.serverCpuMicros() * unit);
            System.out.printf(Locale.ROOT, "| %s | %s [%s-%s] | %s |%n", ms.name(), human(rates[rates.length / 2]),
                    human(rates[0]), human(rates[rates.length - 1]), micros(cpu[cpu.length / 2]));
        }
    }

    private static double[] sorted(TlsLoadGenerator.Result[] r, ToDoubleFunction<TlsLoadGenerator.Result> f) {
        return Arrays.stream(r).mapToDouble(f).sorted().toArray();
    }

    private static String human(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                : v >= 1e4 ? String.format(Locale.ROOT, "%.1fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String micros(double us) {
        return Double.isNaN(us) ? "n/a" : us >= 1e3 ? String.format(Locale.ROOT, "%.2f ms", us / 1e3)
                : String.format(Locale.ROOT, "%.1f µs", us);
    }

    /** A fresh self-signed certificate for {@code localhost}, made by the running JDK's keytool. */
    private static Material material() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("jasyncio-tls-bench");
        Path store = dir.resolve("server.p12");
        char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12)).toCharArray();
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(password),
                "-keypass", new String(password)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ((PrivateKey) ks.getKey("server", password)).getEncoded()));
        for (Path f : List.of(dir, store, certPem, keyPem)) {
            f.toFile().deleteOnExit();
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", ks.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new Material(store, password, certPem, keyPem, client);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The CPython server script copied out of the jar, or null without python3. */
    private static Path pythonScript() throws IOException {
        return Python.version() == null ? null : Python.extractScript(TlsEchoBench.class, "tls_echo_server.py");
    }
}
