package io.jasyncio.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side comparison of issue 11 ({@code ./run bench-compare}): runs every workload on
 * jasyncio (both backends) and on each peer, each in its own process, the TCP workloads driven by
 * {@link LoadGenerator} in a further process over loopback; then writes COMPARISON.md and
 * comparison.png. See docs/PERFORMANCE.md, section "Comparison".
 */
public final class Compare {
    private static final Path LOGS = Path.of("target", "compare-logs");
    private static final Path PYTHON_PEER = Path.of("jasyncio-bench", "src", "main", "python", "asyncio_peer.py");
    private static final String PACKAGE = Compare.class.getPackageName() + ".";

    private final Settings settings;
    private final Environment env;
    private final List<String> javaCommand;
    private int done;
    private int total;

    private Compare(Settings settings, Environment env) {
        this.settings = settings;
        this.env = env;
        this.javaCommand = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"));
    }

    /** Runs the comparison with the options of {@link Settings}; exits with status 2 on a bad option. */
    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Servers, load generator and workloads are this process's children: interrupted, it takes them along.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        long start = System.nanoTime();
        ZonedDateTime date = ZonedDateTime.now(ZoneOffset.UTC);
        String loadBefore = Environment.loadAverage();
        Environment env = Environment.detect(settings.python(), PYTHON_PEER);
        Compare compare = new Compare(settings, env);
        compare.printHeader(loadBefore);
        List<Outcome> outcomes = compare.runAll();
        MemoryResult memory = settings.memoryTasks() > 0 ? compare.runMemory() : null;
        String loadAfter = Environment.loadAverage();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Report report = new Report(settings, env, outcomes, memory, date, loadBefore, loadAfter, took);
        Path markdown = settings.out().resolve("COMPARISON.md");
        Path chart = settings.out().resolve("comparison.png");
        report.writeMarkdown(markdown, chart.getFileName().toString());
        Chart.write(report, chart);
        System.out.println();
        System.out.println(report.headline());
        System.out.println(report.cpuHeadline());
        System.out.printf(Locale.ROOT, "Wrote %s and %s in %d min %d s%n", markdown, chart, took.toMinutes(), took.toSecondsPart());
    }

    private void printHeader(String loadAverage) {
        System.out.println("jasyncio comparison" + (settings.quick() ? " (QUICK smoke run: figures not for the record)" : ""));
        env.machine.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        for (Contender c : Contender.values()) {
            String reason = env.missing.get(c);
            if (reason != null) {
                System.out.println("  MISSING PEER " + c.label + ": " + reason);
            }
        }
        if (env.idle.note() != null && settings.workloads().contains(Workload.IDLE_ACTIVE)) {
            System.out.println("  NOTE workload 7: " + env.idle.note());
        }
        System.out.println("  load average at start: " + loadAverage);
    }

    private List<Outcome> runAll() {
        for (Workload w : settings.workloads()) {
            total += entries(w).size();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Workload w : settings.workloads()) {
            if (w.isNetwork()) {
                outcomes.addAll(runNetwork(w, entries(w)));
            } else {
                for (Entry e : entries(w)) {
                    outcomes.add(progress(runMicro(e)));
                }
            }
        }
        return outcomes;
    }

    private static List<Entry> entries(Workload w) {
        List<Entry> entries = new ArrayList<>();
        for (Contender c : Contender.values()) {
            for (Contender.Api api : c.apis(w)) {
                entries.add(new Entry(w, c, api));
            }
        }
        return entries;
    }

    private Outcome progress(Outcome o) {
        done++;
        System.out.printf(Locale.ROOT, "[%2d/%d] %s · %s: %s%n", done, total, o.entry().workload().title, o.entry().label(),
                Report.brief(o));
        return o;
    }

    // ---------------------------------------------------------------- in-process workloads

    private Outcome runMicro(Entry e) {
        String missing = env.missing.get(e.contender());
        if (missing != null) {
            return Outcome.missing(e, missing);
        }
        try {
            return measureMicro(e);
        } catch (IOException | RuntimeException ex) {
            return Outcome.failed(e, ex.getMessage());
        }
    }

    private Outcome measureMicro(Entry e) throws IOException {
        List<String> timing = List.of(num(settings.microWarmupSeconds()), num(settings.microRepSeconds()),
                Integer.toString(settings.reps()));
        List<String> command = new ArrayList<>();
        if (e.contender().isPython()) {
            command.addAll(pythonCommand(e.contender()));
            command.addAll(List.of("micro", e.workload().id));
        } else {
            // A fixed heap: no resizing pauses in the middle of the repetitions.
            command.addAll(jvm(e.contender(), "-Xms2g", "-Xmx2g"));
            command.addAll(List.of(PACKAGE + "MicroMain", e.contender().isJasyncio() ? "jasyncio" : "threads", e.workload().id));
        }
        command.addAll(timing);
        List<Sample> samples = new ArrayList<>();
        // The slowest contender needs a whole 100,000-task batch per repetition: allow for it.
        Duration patience = Duration.ofSeconds(120);
        try (ChildProcess child = ChildProcess.start(command, log(e, "micro"))) {
            String line;
            while ((line = child.nextLine(patience)) != null) {
                String[] f = line.split(" ", 2);
                switch (f[0]) {
                    case "backend" -> checkBackend(e.contender(), f[1]);
                    case "unsupported" -> {
                        return Outcome.missing(e, f[1]);
                    }
                    case "rep" -> {
                        String[] n = f[1].split(" ");
                        samples.add(Sample.ofRepetition(Double.parseDouble(n[0]), Double.parseDouble(n[1]), Double.parseDouble(n[2])));
                    }
                    default -> throw new IOException("unexpected output: " + line);
                }
            }
            int status = child.waitFor(Duration.ofSeconds(30));
            if (status != 0 || samples.size() != settings.reps()) {
                return Outcome.failed(e, "exit status " + status + " after " + samples.size() + " repetitions: " + child.errorTail());
            }
        }
        return Outcome.measured(e, samples);
    }

    // ---------------------------------------------------------------- TCP workloads

    /** A server process that is listening. */
    private record Listening(Entry entry, ChildProcess process, int port) {
    }

    /** Thrown while starting a server that cannot run here (it printed {@code unsupported}). */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Starts a server for each entry of {@code w}, all at once, then has one load generator drive
     * them in turn (see {@link LoadGenerator}): one window per server per round, so that every
     * server's samples spread over the whole run.
     */
    private List<Outcome> runNetwork(Workload w, List<Entry> entries) {
        int rounds = settings.reps();
        System.out.printf(Locale.ROOT, "%s: starting the servers; one load generator drives them in turn, %d rounds%n",
                w.title, rounds);
        Map<Entry, Outcome> outcomes = new LinkedHashMap<>();
        List<Listening> servers = new ArrayList<>();
        try {
            for (Entry e : entries) {
                String missing = env.missing.get(e.contender());
                if (missing != null) {
                    outcomes.put(e, Outcome.missing(e, missing));
                    continue;
                }
                ChildProcess process = null;
                try {
                    process = ChildProcess.start(serverCommand(e), log(e, "server"));
                    servers.add(new Listening(e, process, awaitListening(e, process)));
                } catch (Unsupported ex) {
                    outcomes.put(e, Outcome.missing(e, ex.getMessage()));
                    process.close();
                } catch (IOException | RuntimeException ex) {
                    outcomes.put(e, Outcome.failed(e, "the server did not start: " + ex.getMessage()
                            + (process == null ? "" : " " + process.errorTail())));
                    if (process != null) {
                        process.close();
                    }
                }
            }
            if (!servers.isEmpty()) {
                drive(w, servers, rounds, outcomes);
            }
        } finally {
            servers.forEach(s -> s.process().close());
        }
        List<Outcome> ordered = new ArrayList<>();
        for (Entry e : entries) {
            ordered.add(progress(outcomes.get(e)));
        }
        return ordered;
    }

    /** Reads the server's first lines until it listens; returns the port. */
    private int awaitListening(Entry e, ChildProcess server) throws IOException, Unsupported {
        String line = server.nextLine(Duration.ofSeconds(60));
        if (line != null && line.startsWith("backend ")) {
            checkBackend(e.contender(), line.substring(8));
            line = server.nextLine(Duration.ofSeconds(60));
        }
        if (line != null && line.startsWith("unsupported ")) {
            throw new Unsupported(line.substring(12));
        }
        if (line == null || !line.startsWith("LISTENING ")) {
            throw new IOException("unexpected output: " + line);
        }
        return Integer.parseInt(line.substring(10).trim());
    }

    private void drive(Workload w, List<Listening> servers, int rounds, Map<Entry, Outcome> outcomes) {
        boolean latency = w.kind == Workload.Kind.LATENCY;
        List<String> command = new ArrayList<>(javaCommand);
        command.addAll(1, List.of("-Xmx1g"));
        command.addAll(List.of(PACKAGE + "LoadGenerator", Integer.toString(w.messageSize()),
                Integer.toString(latency ? Workload.ACTIVE_CONNECTIONS : Workload.ECHO_CONNECTIONS),
                Integer.toString(latency ? env.idle.count() : 0), num(settings.tcpWarmupSeconds()),
                num(settings.tcpRewarmSeconds()), num(latency ? settings.idleWindowSeconds() : settings.windowSeconds()),
                Integer.toString(rounds), "1")); // one window per turn
        for (Listening s : servers) {
            command.add(s.port() + ":" + s.process().pid());
        }
        List<List<Sample>> samples = new ArrayList<>();
        String[] failures = new String[servers.size()];
        servers.forEach(s -> samples.add(new ArrayList<>()));
        String generatorError = null;
        try (ChildProcess load = ChildProcess.start(command, LOGS.resolve(w.id + "-load.err"))) {
            String line;
            while ((line = load.nextLine(Duration.ofSeconds(120))) != null) {
                String[] f = line.split(" ", 3);
                int i = Integer.parseInt(f[1]);
                switch (f[0]) {
                    case "window" -> samples.get(i).add(windowSample(f[2].split(" ")));
                    case "failed" -> failures[i] = f[2];
                    default -> throw new IOException("unexpected output of the load generator: " + line);
                }
            }
            int status = load.waitFor(Duration.ofSeconds(30));
            if (status != 0) {
                generatorError = "load generator exit status " + status + ": " + load.errorTail();
            }
        } catch (IOException | RuntimeException ex) {
            generatorError = "load generator: " + ex.getMessage();
        }
        for (int i = 0; i < servers.size(); i++) {
            Listening s = servers.get(i);
            Entry e = s.entry();
            if (failures[i] != null) {
                outcomes.put(e, Outcome.failed(e, failures[i] + " / server: " + s.process().errorTail()));
            } else if (samples.get(i).size() != rounds) {
                outcomes.put(e, Outcome.failed(e, samples.get(i).size() + " of " + rounds + " windows; "
                        + (generatorError == null ? "" : generatorError + " / ") + "server: " + s.process().errorTail()));
            } else {
                outcomes.put(e, Outcome.measured(e, samples.get(i)));
            }
        }
    }

    /**
     * A sample from a window's figures: {@code <roundTrips> <nanos> <serverUserCpuNanos>
     * <serverKernelCpuNanos> <clientCpuNanos> <p50Nanos> <p99Nanos>}.
     */
    static Sample windowSample(String[] f) {
        double roundTrips = Double.parseDouble(f[0]);
        double nanos = Double.parseDouble(f[1]);
        double user = Double.parseDouble(f[2]);
        double kernel = Double.parseDouble(f[3]);
        return new Sample(roundTrips * 1e9 / nanos,
                roundTrips == 0 ? Double.NaN : (user + kernel) / 1e3 / roundTrips,
                roundTrips == 0 ? Double.NaN : kernel / 1e3 / roundTrips,
                Double.parseDouble(f[4]) / nanos,
                Double.parseDouble(f[5]) / 1e3, Double.parseDouble(f[6]) / 1e3);
    }

    private List<String> serverCommand(Entry e) {
        List<String> command = new ArrayList<>();
        switch (e.contender()) {
            case ASYNCIO, UVLOOP -> {
                command.addAll(pythonCommand(e.contender()));
                command.addAll(List.of("server", e.api().label));
            }
            case JASYNCIO, JASYNCIO_VT -> {
                command.addAll(jvm(e.contender(), "-Xmx2g"));
                command.addAll(List.of(PACKAGE + "ServerMain", "jasyncio-" + e.api().label));
            }
            case NETTY_NIO, NETTY_EPOLL -> {
                command.addAll(jvm(e.contender(), "-Xmx2g"));
                command.addAll(List.of(PACKAGE + "ServerMain", e.contender() == Contender.NETTY_NIO ? "netty-nio" : "netty-epoll"));
            }
            case THREADS -> {
                command.addAll(jvm(e.contender(), "-Xmx2g"));
                command.addAll(List.of(PACKAGE + "ServerMain", "blocking"));
            }
        }
        return command;
    }

    // ---------------------------------------------------------------- memory target

    private MemoryResult runMemory() {
        int tasks = settings.memoryTasks();
        System.out.printf(Locale.ROOT, "[memory] %,d sleeping jasyncio tasks in a 1 GiB heap...%n", tasks);
        List<String> command = new ArrayList<>(jvm(Contender.JASYNCIO, "-Xmx1g"));
        command.addAll(List.of(PACKAGE + "MemoryMain", Integer.toString(tasks)));
        MemoryResult result;
        try (ChildProcess child = ChildProcess.start(command, LOGS.resolve("memory.err"))) {
            String line;
            String backend = null;
            MemoryResult measured = null;
            while ((line = child.nextLine(Duration.ofSeconds(300))) != null) {
                if (line.startsWith("backend ")) {
                    backend = line.substring(8);
                } else if (line.startsWith("sleeping ")) {
                    String[] f = line.split(" ");
                    measured = new MemoryResult(backend, Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4]), null);
                }
            }
            int status = child.waitFor(Duration.ofSeconds(30));
            result = measured != null && status == 0 ? measured
                    : new MemoryResult(backend, tasks, 0, 0, 0, "exit status " + status + ": " + child.errorTail());
        } catch (IOException | RuntimeException ex) {
            result = new MemoryResult(null, tasks, 0, 0, 0, ex.getMessage());
        }
        System.out.println("[memory] " + result.describe());
        return result;
    }

    // ---------------------------------------------------------------- commands

    private List<String> pythonCommand(Contender c) {
        return List.of(env.python, "-u", PYTHON_PEER.toString(), "--loop", c == Contender.UVLOOP ? "uvloop" : "asyncio");
    }

    /** The JVM command line for a Java contender, up to the main class. */
    private List<String> jvm(Contender c, String... heap) {
        List<String> command = new ArrayList<>(javaCommand);
        List<String> flags = new ArrayList<>(List.of(heap));
        switch (c) {
            case JASYNCIO -> flags.addAll(List.of("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Djasyncio.backend=continuation"));
            case JASYNCIO_VT -> flags.add("-Djasyncio.backend=virtual");
            case NETTY_NIO, NETTY_EPOLL -> {
                if (Runtime.version().feature() >= 24) {
                    // Netty 4.1 uses sun.misc.Unsafe and JNI; these only silence the JDK's warnings.
                    flags.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
                }
            }
            default -> {
            }
        }
        command.addAll(1, flags);
        return command;
    }

    private void checkBackend(Contender c, String backend) {
        String wanted = c == Contender.JASYNCIO ? "continuation" : "virtual";
        if (!backend.equals(wanted)) {
            throw new IllegalStateException("asked for the " + wanted + " backend, got " + backend);
        }
    }

    private static Path log(Entry e, String role) {
        String name = e.workload().id + "-" + e.contender().name().toLowerCase(Locale.ROOT)
                + (e.api() == Contender.Api.NONE ? "" : "-" + e.api().label) + "-" + role + ".err";
        return LOGS.resolve(name);
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String isoDate(ZonedDateTime date) {
        return date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }
}
