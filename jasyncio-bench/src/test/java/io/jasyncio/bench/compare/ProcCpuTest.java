package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcCpuTest {

    @Test
    void ticksAreCountedAfterACommandNameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String line = "4242 (my (odd) cmd) S 1 2 3 4 5 6 7 8 9 10 250 75 0 0 20 0 1 0";
        assertArrayEquals(new long[] {250, 75}, ProcCpu.parseCpuTicks(line));
    }

    @Test
    void usageSinceAnEarlierReadingSubtractsEachPart() {
        ProcCpu.Usage d = new ProcCpu.Usage(500, 300).since(new ProcCpu.Usage(200, 100));
        assertEquals(300, d.userNanos());
        assertEquals(200, d.systemNanos());
        assertEquals(500, d.totalNanos());
    }

    @Test
    void processCpuTimeCountsThisThreadsWorkToTheNanosecond() {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux /proc");
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = ProcCpu.processCpuNanos();
        long mine = threads.getCurrentThreadCpuTime();
        long spin = 0;
        // Burn 20 ms of this thread's CPU: a CPU-time target, not a wall-clock one.
        while (threads.getCurrentThreadCpuTime() - mine < 20_000_000) {
            spin++;
        }
        long used = ProcCpu.processCpuNanos() - before;
        assertTrue(spin > 0);
        assertTrue(used >= 20_000_000, "process CPU grew by " + used + " ns");
        // Not rounded to 10 ms clock ticks.
        assertTrue(used % 10_000_000 != 0, "suspiciously tick-aligned: " + used);
    }

    @Test
    void aLineWithoutCommandNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ProcCpu.parseCpuTicks("4242 S 1 2 3"));
    }

    @Test
    void aNonPositiveTickRateIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProcCpu(0));
        assertEquals("ticksPerSecond must be positive: 0", e.getMessage());
    }

    @Test
    void cpuTimeOfThisProcessAgreesWithTheJdk() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "needs Linux /proc");
        ProcCpu cpu = ProcCpu.forThisMachine();
        long pid = ProcessHandle.current().pid();
        long ours = cpu.usage(pid).totalNanos();
        long jdk = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        assertTrue(ours > 0);
        // Both read the same kernel counters, a few instructions apart; ticks are 10 ms.
        assertEquals(jdk, ours, Duration.ofMillis(100).toNanos());
    }
}
