package io.jasyncio.bench.net;

import io.jasyncio.bench.Python;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Round trips per second through a one-loop-thread TCP echo server ({@link TcpEchoServer}, run in
 * a child JVM with this JVM's flags) driven by {@link TcpLoadGenerator} in this process: 50
 * connections, 64-byte messages, for the Protocol, BufferedProtocol and streams APIs, with the
 * server's CPU time per round trip (from /proc, in total and in user space). When
 * {@code python3} is on the PATH, CPython asyncio's echo server ({@code tcp_echo_server.py},
 * Protocol and streams) is measured the same way for reference.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar io.jasyncio.bench.net.TcpEchoBench [runs] [seconds]
 * </pre>
 */
public final class TcpEchoBench {
    private static final int CONNECTIONS = 50;
    private static final int SIZE = 64;
    private static final double WARMUP_SECONDS = 3;

    private TcpEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        String backend = System.getProperty("jasyncio.backend", "auto");
        System.out.printf(Locale.ROOT, "TCP echo: %d connections, %d-byte messages, %d runs of %.0f s after %.0f s warm-up; "
                + "jasyncio backend %s; Java %s%n", CONNECTIONS, SIZE, runs, seconds, WARMUP_SECONDS, backend,
                Runtime.version());
        System.out.println("| server | round trips/s, median [min-max] | server CPU per round trip | of which user space |");
        System.out.println("|---|---|---|---|");
        for (String mode : List.of("protocol", "buffered", "streams")) {
            report("jasyncio " + mode, measure(javaServer(mode), runs, seconds));
        }
        Path script = pythonScript();
        if (script == null) {
            System.out.println("| CPython asyncio | n/a (no python3 on the PATH) | n/a | n/a |");
        } else {
            for (String mode : List.of("protocol", "streams")) {
                report("CPython asyncio " + mode, measure(List.of("python3", script.toString(), mode), runs, seconds));
            }
        }
    }

    private static List<String> javaServer(String mode) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TcpEchoServer.class.getName());
        command.add(mode);
        command.add("0");
        return command;
    }

    /** Starts the server, measures {@code runs} times, stops the server. */
    private static TcpLoadGenerator.Result[] measure(List<String> serverCommand, int runs, double seconds)
            throws Exception {
        Process server = new ProcessBuilder(serverCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("listening ")) {
                throw new IOException("the server did not start: " + line);
            }
            int port = Integer.parseInt(line.substring("listening ".length()).trim());
            TcpLoadGenerator.Result[] results = new TcpLoadGenerator.Result[runs];
            for (int i = 0; i < runs; i++) {
                results[i] = TcpLoadGenerator.run("127.0.0.1", port, CONNECTIONS, SIZE, WARMUP_SECONDS, seconds,
                        server.toHandle());
            }
            return results;
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void report(String name, TcpLoadGenerator.Result[] results) {
        double[] rates = Arrays.stream(results).mapToDouble(TcpLoadGenerator.Result::roundTripsPerSecond).sorted().toArray();
        double[] cpu = Arrays.stream(results).mapToDouble(TcpLoadGenerator.Result::serverCpuMicrosPerRoundTrip).sorted().toArray();
        double[] user = Arrays.stream(results).mapToDouble(TcpLoadGenerator.Result::serverUserMicrosPerRoundTrip).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %s [%s-%s] | %.1f µs | %.1f µs |%n", name, human(rates[rates.length / 2]),
                human(rates[0]), human(rates[rates.length - 1]), cpu[cpu.length / 2], user[user.length / 2]);
    }

    private static String human(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6) : String.format(Locale.ROOT, "%.0fk", v / 1e3);
    }

    /** The CPython server script copied out of the jar, or null without python3. */
    private static Path pythonScript() throws IOException {
        return Python.version() == null ? null : Python.extractScript(TcpEchoBench.class, "tcp_echo_server.py");
    }
}
