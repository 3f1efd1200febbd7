package io.jasyncio.bench.net;

import io.jasyncio.bench.Python;
import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.Datagram;
import io.jasyncio.net.DatagramProtocol;
import io.jasyncio.net.DatagramStream;
import io.jasyncio.net.DatagramTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datagrams per second through a UDP echo server running on one event loop, with the client
 * ({@link UdpEchoClient}) in a separate process so that it does not share the server's JVM. Three
 * servers in turn, each measured {@code runs} times: jasyncio with a {@link DatagramProtocol} that
 * echoes from {@code datagramReceived}, jasyncio with a {@link DatagramStream} and a task that
 * echoes with {@code recv()}/{@code send()}, and CPython's asyncio with a
 * {@code DatagramProtocol} ({@code udp_echo_server.py}, shipped in the benchmark jar; skipped when
 * there is no {@code python3} on the PATH). The table gives the median and the range of echoed
 * datagrams per second (each one received and sent back by the server), and the median CPU time
 * the server's process spent per echo (this JVM's, idle but for the server, or the Python
 * process's).
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-benchmarks.jar \
 *     io.jasyncio.bench.net.UdpEchoBench [runs] [seconds] [window] [size]
 * </pre>
 */
public final class UdpEchoBench {
    private static final double WARMUP_SECONDS = 2;
    private static final Pattern RESULT = Pattern.compile("echoes=(\\d+) lost=(\\d+) seconds=([0-9.]+) total=(\\d+)");

    /** A running echo server; {@link #close()} stops it. */
    private interface EchoServer extends AutoCloseable {
        int port();

        /** The CPU time the server's process has used so far, in nanoseconds. */
        long cpuNanos();

        @Override
        void close() throws Exception;
    }

    /**
     * One client run: echoes per second and losses of the measured period, and the server's CPU
     * time per echo over the whole run (a figure that other load on the machine disturbs less).
     */
    private record Result(double echoesPerSecond, long lost, double cpuNanosPerEcho) {
    }

    private UdpEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String backend;
        try (EventLoop probe = EventLoop.newEventLoop()) {
            backend = probe.backendName();
        }
        String python = Python.version();
        System.out.printf(Locale.ROOT, "UDP echo on 127.0.0.1: %d-byte datagrams, %d in flight, %d runs of %.0f s "
                        + "after %.0f s of warm-up; jasyncio on Java %s, %s backend; %d CPUs; CPython: %s%n%n",
                size, window, runs, seconds, WARMUP_SECONDS, Runtime.version(), backend,
                Runtime.getRuntime().availableProcessors(), python != null ? python : "python3 not found, row left out");
        System.out.println("| server (one event loop) | echoed datagrams/s, median [min-max] | server CPU per echo, median | lost |");
        System.out.println("|---|---|---|---|");
        report("jasyncio, DatagramProtocol echoing from datagramReceived", measure(UdpEchoBench::protocolServer,
                runs, seconds, window, size));
        report("jasyncio, DatagramStream, a task echoing with recv()/send()", measure(UdpEchoBench::streamServer,
                runs, seconds, window, size));
        if (python != null) {
            Path script = Python.extractScript(UdpEchoBench.class, "udp_echo_server.py");
            report("CPython asyncio, DatagramProtocol", measure(() -> pythonServer(script), runs, seconds, window, size));
        }
    }

    // ---------------------------------------------------------------- servers

    @FunctionalInterface
    private interface ServerFactory {
        EchoServer start() throws Exception;
    }

    /** Echoes each datagram from the protocol callback, with no task switch and no copy. */
    private static final class EchoProtocol implements DatagramProtocol {
        private DatagramTransport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress addr) {
            transport.sendto(data, addr);
        }
    }

    private static EchoServer protocolServer() throws Exception {
        return onLoopThread(loop -> {
            DatagramTransport t = loop.createDatagramEndpoint(EchoProtocol::new, new InetSocketAddress("127.0.0.1", 0), null)
                    .transport();
            return new Started(t, ((InetSocketAddress) t.getExtraInfo("sockname")).getPort());
        });
    }

    private static EchoServer streamServer() throws Exception {
        return onLoopThread(loop -> {
            DatagramStream stream = Asyncio.openDatagramEndpoint(new InetSocketAddress("127.0.0.1", 0), null);
            Asyncio.createTask(() -> {
                try {
                    while (true) {
                        Datagram d = stream.recv();
                        stream.send(d.data(), d.address());
                    }
                } catch (SocketException closed) {
                    return null;
                }
            });
            return new Started(stream.transport(), stream.localAddress().getPort());
        });
    }

    /** A server opened on its loop: the transport to close and the port it listens on. */
    private record Started(BaseTransport transport, int port) {
    }

    @FunctionalInterface
    private interface LoopSetUp {
        /** Opens the server on {@code loop}. */
        Started run(EventLoop loop) throws Exception;
    }

    /** Runs a server on a new loop on a thread of its own until the returned server is closed. */
    private static EchoServer onLoopThread(LoopSetUp setUp) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Runnable> stopper = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("udp-echo-server").start(() -> {
            try (EventLoop loop = EventLoop.newEventLoop()) {
                loop.runUntilComplete(() -> {
                    Started started = setUp.run(loop);
                    Future<Void> stop = loop.createFuture();
                    stopper.complete(() -> loop.callSoonThreadsafe(() -> stop.setResult(null)));
                    port.complete(started.port());
                    stop.await();
                    started.transport().close();
                    Asyncio.sleep(0);
                    return null;
                });
            } catch (Throwable e) {
                port.completeExceptionally(e);
            }
        });
        int p = port.get();
        return new EchoServer() {
            @Override
            public int port() {
                return p;
            }

            @Override
            public long cpuNanos() {
                // The whole process: on the virtual-thread backend tasks run on carrier threads.
                return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
            }

            @Override
            public void close() throws Exception {
                stopper.get().run();
                thread.join();
            }
        };
    }

    private static EchoServer pythonServer(Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new IOException("udp_echo_server.py exited with status " + p.waitFor());
        }
        int port = Integer.parseInt(line.trim());
        return new EchoServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public long cpuNanos() {
                return p.info().totalCpuDuration().orElseThrow().toNanos();
            }

            @Override
            public void close() throws Exception {
                p.getOutputStream().close();
                p.waitFor();
            }
        };
    }

    // ---------------------------------------------------------------- measuring

    private static List<Result> measure(ServerFactory factory, int runs, double seconds, int window, int size)
            throws Exception {
        List<Result> results = new ArrayList<>();
        try (EchoServer server = factory.start()) {
            for (int i = 0; i < runs; i++) {
                results.add(runClient(server, seconds, window, size));
            }
        }
        return results;
    }

    /** Runs {@link UdpEchoClient} in a new JVM against {@code server} and reads its result. */
    private static Result runClient(EchoServer server, double seconds, int window, int size) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        long cpuBefore = server.cpuNanos();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), UdpEchoClient.class.getName(),
                "127.0.0.1", Integer.toString(server.port()), Double.toString(WARMUP_SECONDS), Double.toString(seconds),
                Integer.toString(window), Integer.toString(size)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Matcher m = RESULT.matcher(output);
        if (p.waitFor() != 0 || !m.find()) {
            throw new IOException("the UDP echo client failed: " + output);
        }
        double cpuPerEcho = (server.cpuNanos() - cpuBefore) / (double) Long.parseLong(m.group(4));
        return new Result(Long.parseLong(m.group(1)) / Double.parseDouble(m.group(3)), Long.parseLong(m.group(2)),
                cpuPerEcho);
    }

    private static void report(String server, List<Result> results) {
        double[] rates = results.stream().mapToDouble(Result::echoesPerSecond).sorted().toArray();
        double[] cpu = results.stream().mapToDouble(Result::cpuNanosPerEcho).sorted().toArray();
        long lost = results.stream().mapToLong(Result::lost).sum();
        System.out.printf(Locale.ROOT, "| %s | %s [%s-%s] | %.1f µs | %d |%n", server, human(median(rates)), human(rates[0]),
                human(rates[rates.length - 1]), median(cpu) / 1000, lost);
    }

    /** The median of sorted {@code values}. */
    private static double median(double[] values) {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String human(double rate) {
        return rate >= 1e6 ? String.format(Locale.ROOT, "%.2fM", rate / 1e6) : String.format(Locale.ROOT, "%.0fk", rate / 1e3);
    }
}
