package io.jasyncio.bench.compare;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine and the peers found on it: what the report prints as "machine" and which
 * contenders can run. A peer that cannot run is recorded with the reason, never dropped.
 */
final class Environment {
    /** Where Debian's python3-uvloop installs: the interpreter tried first. */
    static final String SYSTEM_PYTHON = "/usr/bin/python3";

    /** The Python interpreter of the asyncio and uvloop contenders; null if there is none. */
    final String python;
    /** Contenders that cannot run here, with the reason. */
    final Map<Contender, String> missing;
    /** What the report prints under "Machine", in order. */
    final Map<String, String> machine;
    /** Idle connections of workload 7 on this machine. */
    final IdleBudget idle;

    Environment(String python, Map<Contender, String> missing, Map<String, String> machine, IdleBudget idle) {
        this.python = python;
        this.missing = Map.copyOf(missing);
        this.machine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(machine));
        this.idle = idle;
    }

    /**
     * Detects the machine and the peers, with {@code python} as the interpreter (null: choose)
     * running {@code pythonPeer}, the Python side of the workloads.
     */
    static Environment detect(String python, Path pythonPeer) {
        String interpreter = python != null ? python : choosePython();
        String pythonVersion = interpreter == null ? null
                : probe(List.of(interpreter, "-c", "import sys; print(sys.version.split()[0])"));
        String uvloopVersion = pythonVersion == null ? null
                : probe(List.of(interpreter, "-c", "import uvloop; print(uvloop.__version__)"));
        Map<Contender, String> missing = new LinkedHashMap<>();
        if (!Files.isRegularFile(pythonPeer)) {
            String reason = pythonPeer + " not found: run the comparison from the repository's root (./run bench-compare)";
            missing.put(Contender.ASYNCIO, reason);
            missing.put(Contender.UVLOOP, reason);
        } else if (pythonVersion == null) {
            String reason = python != null ? "no working Python 3 interpreter at " + python
                    : "no Python 3 interpreter (tried " + SYSTEM_PYTHON + " and python3 on the PATH)";
            missing.put(Contender.ASYNCIO, reason);
            missing.put(Contender.UVLOOP, reason);
        } else if (uvloopVersion == null) {
            missing.put(Contender.UVLOOP, "uvloop is not importable by " + interpreter
                    + " (install Debian's python3-uvloop: apt-get install -y python3-uvloop)");
        }
        if (!Epoll.isAvailable()) {
            missing.put(Contender.NETTY_EPOLL, "Netty's native epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", firstMatch("/proc/cpuinfo", "model name") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM");
        machine.put("Memory", firstMatch("/proc/meminfo", "MemTotal"));
        machine.put("OS", osName() + ", kernel " + read("/proc/sys/kernel/osrelease"));
        machine.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        machine.put("Python", pythonVersion == null ? "missing" : interpreter + " " + pythonVersion);
        machine.put("uvloop", uvloopVersion == null ? "missing" : uvloopVersion);
        machine.put("Netty", io.netty.util.Version.identify().get("netty-transport").artifactVersion());
        return new Environment(interpreter, missing, machine, idleConnectionBudget(openFilesLimit(), localPorts()));
    }

    private static String choosePython() {
        if (Files.isExecutable(Path.of(SYSTEM_PYTHON))) {
            return SYSTEM_PYTHON;
        }
        return probe(List.of("python3", "--version")) != null ? "python3" : null;
    }

    /**
     * How many idle connections workload 7 can hold: each side needs a file descriptor per
     * connection, and the load generator a local port per connection.
     */
    static IdleBudget idleConnectionBudget(long openFilesLimit, long localPorts) {
        // Room for the active connections, the JVM's own files and the listening socket.
        long reserve = Workload.ACTIVE_CONNECTIONS + 500;
        long count = Math.max(0, Math.min(Workload.IDLE_CONNECTIONS, Math.min(openFilesLimit, localPorts) - reserve));
        if (count == Workload.IDLE_CONNECTIONS) {
            return new IdleBudget((int) count, null);
        }
        String limit = openFilesLimit <= localPorts
                ? openFilesLimit + " open files per process (ulimit -Hn)"
                : localPorts + " local ports (net.ipv4.ip_local_port_range)";
        return new IdleBudget((int) count, "scaled down from " + Workload.IDLE_CONNECTIONS + " to " + count
                + " idle connections: this machine allows " + limit);
    }

    /** Idle connections of workload 7, and why there are fewer than asked (null when not). */
    record IdleBudget(int count, String note) {
    }

    private static long openFilesLimit() {
        // HotSpot raises its soft limit to the hard one, as the Python server does.
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    private static long localPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The 1, 5 and 15-minute load averages, to show how busy the shared machine was. */
    static String loadAverage() {
        String s = read("/proc/loadavg");
        String[] f = s.split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : s;
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // Fall back to the JVM's view below.
        }
        return System.getProperty("os.name");
    }

    private static String firstMatch(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException e) {
            // Unknown on this system.
        }
        return "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line {@code command} prints, or null if it cannot run or fails. */
    static String probe(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return null;
            }
            return out.lines().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
