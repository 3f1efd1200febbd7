package io.jasyncio.bench.compare;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.coro.Coroutine;

/**
 * The floor under workload 1: what one suspend + resume of the selected coroutine backend costs
 * with no event loop, no ready queue and no task around it. {@code SwitchFloor <switches> <reps>}
 * prints {@code backend <name>} then {@code rep <switches> <nanoseconds> <cpuNanoseconds>} per
 * repetition (after one unmeasured warm-up repetition), as {@link MicroMain} does.
 * docs/PERFORMANCE.md uses it to show where a task switch's time goes.
 */
public final class SwitchFloor {
    private SwitchFloor() {
    }

    /**
     * Measures as the class comment says.
     *
     * @throws IllegalArgumentException on bad usage
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SwitchFloor <switches> <reps>");
        }
        long switches = Long.parseLong(args[0]);
        int reps = Integer.parseInt(args[1]);
        System.out.println("backend " + Backends.selected().name());
        for (int i = -1; i < reps; i++) {
            long cpu = ProcCpu.processCpuNanos();
            long nanos = measure(switches);
            if (i >= 0) {
                System.out.println("rep " + switches + " " + nanos + " " + (ProcCpu.processCpuNanos() - cpu));
            }
        }
    }

    private static long measure(long switches) {
        Coroutine[] self = new Coroutine[1];
        self[0] = Backends.selected().create(() -> {
            for (long k = 0; k < switches; k++) {
                self[0].suspend();
            }
        });
        long start = System.nanoTime();
        while (!self[0].isDone()) {
            self[0].resume();
        }
        return System.nanoTime() - start;
    }
}
