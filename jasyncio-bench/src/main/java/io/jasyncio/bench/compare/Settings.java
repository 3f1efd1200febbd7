package io.jasyncio.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Options of a comparison run, from the command line:
 * {@code [--reps N] [--quick] [--only w1,w2] [--out DIR] [--python PATH]}.
 *
 * @param reps measured repetitions (in-process) or windows (TCP) per contender
 * @param microWarmupSeconds warm-up of each in-process workload
 * @param microRepSeconds target length of one in-process repetition
 * @param tcpWarmupSeconds warm-up of a TCP server's first turn, after the connections are open
 * @param tcpRewarmSeconds warm-up of a TCP server's later turns
 * @param windowSeconds length of one measured TCP window
 * @param idleWindowSeconds length of one window of workload 7, shorter because each of its turns
 *     first opens and checks the idle connections
 * @param memoryTasks sleeping tasks of the memory target
 * @param workloads the workloads to run
 * @param out where COMPARISON.md and comparison.png are written
 * @param python the Python interpreter, null to choose
 * @param quick whether this is a short smoke run whose figures are not to be recorded
 */
record Settings(int reps, double microWarmupSeconds, double microRepSeconds, double tcpWarmupSeconds,
        double tcpRewarmSeconds, double windowSeconds, double idleWindowSeconds, int memoryTasks, Set<Workload> workloads, Path out, String python, boolean quick) {

    static final String USAGE = "usage: Compare [--reps N] [--quick] [--only switch,spawn,queue,lock,echo64,echo4k,idle,memory]"
            + " [--out DIR] [--python PATH]";
    /** The memory target's figure: a million sleeping tasks. */
    static final int MEMORY_TASKS = 1_000_000;

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the bad option and value
     */
    static Settings parse(String[] args) {
        int reps = 5;
        boolean quick = false;
        Set<Workload> workloads = EnumSet.allOf(Workload.class);
        boolean memory = true;
        Path out = Path.of("docs");
        String python = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            switch (option) {
                case "--quick" -> quick = true;
                case "--reps" -> {
                    String value = valueOf(option, rest);
                    try {
                        reps = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--reps must be a whole number: " + value);
                    }
                    if (reps < 1) {
                        throw new IllegalArgumentException("--reps must be at least 1: " + value);
                    }
                }
                case "--only" -> {
                    workloads = EnumSet.noneOf(Workload.class);
                    memory = false;
                    for (String id : valueOf(option, rest).split(",")) {
                        if (id.equals("memory")) {
                            memory = true;
                        } else {
                            workloads.add(Workload.byId(id));
                        }
                    }
                }
                case "--out" -> out = Path.of(valueOf(option, rest));
                case "--python" -> python = valueOf(option, rest);
                default -> throw new IllegalArgumentException("unknown option: " + option + "\n" + USAGE);
            }
        }
        if (quick) {
            return new Settings(Math.min(reps, 2), 0.2, 0.05, 0.3, 0.1, 0.3, 0.2, memory ? 100_000 : 0, workloads, out, python, true);
        }
        return new Settings(reps, 1.0, 0.3, 2.0, 0.25, 1.0, 0.5, memory ? MEMORY_TASKS : 0, workloads, out, python, false);
    }

    private static String valueOf(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return rest.removeFirst();
    }
}
