package io.jasyncio.bench.compare;

/**
 * One measured repetition (in-process workloads) or window (TCP workloads). Fields a workload
 * does not measure are NaN.
 *
 * @param rate operations per second of wall-clock time: switches, tasks, items, acquisitions or round trips
 * @param cpuMicrosPerOp CPU time per operation, all threads, of the process under test: the one
 *     running an in-process workload, or the server
 * @param kernelMicrosPerOp the part of {@code cpuMicrosPerOp} spent in the kernel (TCP only)
 * @param clientCpuShare CPU time of the load generator divided by wall time (1.0 = one core busy)
 * @param p50Micros median round-trip latency
 * @param p99Micros 99th-percentile round-trip latency
 */
record Sample(double rate, double cpuMicrosPerOp, double kernelMicrosPerOp, double clientCpuShare,
        double p50Micros, double p99Micros) {

    /** An in-process repetition: {@code ops} operations in {@code wallNanos}, using {@code cpuNanos} of CPU. */
    static Sample ofRepetition(double ops, double wallNanos, double cpuNanos) {
        return new Sample(ops * 1e9 / wallNanos, cpuNanos / 1e3 / ops, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
