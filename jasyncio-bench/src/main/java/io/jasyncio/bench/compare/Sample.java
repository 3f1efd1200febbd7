package io.jasyncio.bench.compare;

/**
 * One measured repetition (in-process workloads) or window (TCP workloads). Fields a workload
 * does not measure are NaN.
 *
 * @param rate operations per second: switches, tasks, items, acquisitions or round trips
 * @param serverCpuMicrosPerOp CPU time of the whole server process per round trip
 * @param serverKernelMicrosPerOp the part of {@code serverCpuMicrosPerOp} spent in the kernel
 * @param clientCpuShare CPU time of the load generator divided by wall time (1.0 = one core busy)
 * @param p50Micros median round-trip latency
 * @param p99Micros 99th-percentile round-trip latency
 */
record Sample(double rate, double serverCpuMicrosPerOp, double serverKernelMicrosPerOp, double clientCpuShare,
        double p50Micros, double p99Micros) {

    static Sample ofRate(double rate) {
        return new Sample(rate, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
