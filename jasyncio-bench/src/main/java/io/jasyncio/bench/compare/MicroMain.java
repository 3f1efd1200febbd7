package io.jasyncio.bench.compare;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/**
 * Child process of the comparison that runs one in-process workload on one Java implementation:
 * {@code MicroMain <jasyncio|threads> <workload> <warmupSeconds> <repSeconds> <reps>}.
 *
 * <p>Same protocol as asyncio_peer.py: warm-up runs, starting at {@value #PROBE_OPS} operations
 * (rounded to whole {@link Workload#granularity()} units) and resized after each run to last about
 * {@code repSeconds}, go on until {@code warmupSeconds} have passed; then each measured repetition
 * of the size the warm-up settled on prints {@code rep <ops> <nanoseconds> <cpuNanoseconds>}, the
 * last being the CPU time of the whole process (all threads, {@link ProcCpu#processCpuNanos()})
 * meanwhile. jasyncio first prints
 * {@code backend <name>}; a workload the implementation lacks prints {@code unsupported <reason>}.
 */
public final class MicroMain {
    /** Operations of the sizing run (rounded up to the workload's granularity). */
    static final long PROBE_OPS = 20_000;

    private MicroMain() {
    }

    /**
     * Runs the workload named in {@code args} as the class comment says.
     *
     * @throws IllegalArgumentException on bad usage, naming the argument
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: MicroMain <jasyncio|threads> <workload> <warmupSeconds> <repSeconds> <reps>");
        }
        Workload workload = Workload.byId(args[1]);
        double warmupSeconds = Double.parseDouble(args[2]);
        double repSeconds = Double.parseDouble(args[3]);
        int reps = Integer.parseInt(args[4]);
        switch (args[0]) {
            case "jasyncio" -> Asyncio.run(() -> {
                System.out.println("backend " + EventLoop.running().backendName());
                measure(new JasyncioMicro(), workload, warmupSeconds, repSeconds, reps);
                return null;
            });
            case "threads" -> measure(new ThreadMicro(), workload, warmupSeconds, repSeconds, reps);
            default -> throw new IllegalArgumentException("implementation must be jasyncio or threads: " + args[0]);
        }
    }

    private static void measure(MicroWorkloads impl, Workload workload, double warmupSeconds, double repSeconds, int reps)
            throws Exception {
        long ops = roundUp(PROBE_OPS, workload.granularity());
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        boolean first = true;
        while (first || System.nanoTime() < warmupEnd) {
            long start = System.nanoTime();
            try {
                impl.run(workload, ops);
            } catch (UnsupportedOperationException e) {
                System.out.println("unsupported " + e.getMessage());
                return;
            }
            ops = resize(ops, System.nanoTime() - start, repSeconds, workload.granularity());
            first = false;
        }
        for (int i = 0; i < reps; i++) {
            long cpu = ProcCpu.processCpuNanos();
            long start = System.nanoTime();
            long done = impl.run(workload, ops);
            long elapsed = System.nanoTime() - start;
            System.out.println("rep " + done + " " + elapsed + " " + (ProcCpu.processCpuNanos() - cpu));
        }
    }

    /**
     * The operation count that would have taken {@code repSeconds}, judging by {@code ops} taking
     * {@code elapsedNanos}; grows at most tenfold a step so one fast outlier cannot oversize it.
     */
    static long resize(long ops, long elapsedNanos, double repSeconds, long granularity) {
        double wanted = ops * (repSeconds * 1e9 / Math.max(elapsedNanos, 1));
        return roundUp((long) Math.min(wanted, ops * 10.0), granularity);
    }

    static long roundUp(long ops, long granularity) {
        return Math.max(granularity, (ops + granularity - 1) / granularity * granularity);
    }
}
