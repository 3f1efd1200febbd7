package io.jasyncio.bench.compare;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system, all threads) consumed by a Linux process, from {@code /proc/<pid>/stat}.
 * Per-operation CPU cost is the figure that survives a shared, noisy machine better than
 * wall-clock throughput.
 */
final class ProcCpu {
    /** Nanoseconds per clock tick: Linux reports user/system time in USER_HZ ticks. */
    private final long nanosPerTick;

    ProcCpu(long ticksPerSecond) {
        if (ticksPerSecond <= 0) {
            throw new IllegalArgumentException("ticksPerSecond must be positive: " + ticksPerSecond);
        }
        this.nanosPerTick = 1_000_000_000L / ticksPerSecond;
    }

    /** Reads USER_HZ with {@code getconf CLK_TCK}; 100, the value on every common Linux, if that fails. */
    static ProcCpu forThisMachine() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return new ProcCpu(Long.parseLong(out));
            }
        } catch (IOException e) {
            // No getconf: fall through to the universal default.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ProcCpu(100);
    }

    /**
     * CPU nanoseconds used so far by this process's live threads, Java and JVM-internal (compiler,
     * GC) alike, to the nanosecond: the sum of {@code /proc/self/task/<tid>/schedstat}. Where that
     * is unavailable, the JVM's process CPU time, which Linux counts in whole clock ticks. Threads
     * that ended are not counted: measure over spans in which the process keeps its threads.
     */
    static long processCpuNanos() {
        Path tasks = Path.of("/proc", "self", "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            long sum = 0;
            for (Path t : (Iterable<Path>) threads::iterator) {
                try {
                    String line = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
                } catch (NoSuchFileException e) {
                    // The thread ended between the listing and the read.
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** CPU time a process has used, split into user space and kernel. */
    record Usage(long userNanos, long systemNanos) {
        long totalNanos() {
            return userNanos + systemNanos;
        }

        /** The usage between {@code earlier} and this one. */
        Usage since(Usage earlier) {
            return new Usage(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
        }
    }

    /**
     * CPU time used so far by process {@code pid}.
     *
     * @throws IOException if the process does not exist or its stat line cannot be read
     */
    Usage usage(long pid) throws IOException {
        long[] ticks = parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        return new Usage(ticks[0] * nanosPerTick, ticks[1] * nanosPerTick);
    }

    /**
     * {utime, stime}, in ticks, of a {@code /proc/<pid>/stat} line. The command name (field 2) may
     * contain spaces and parentheses, so fields are counted after its last ')'.
     */
    static long[] parseCpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        String[] fields = statLine.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }
}
