package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MicroMainTest {
    private static final long MS = 1_000_000;

    @Test
    void aRepetitionIsResizedToLastTheTargetTime() {
        // 20,000 operations took 100 ms: 60,000 last 0.3 s.
        assertEquals(60_000, MicroMain.resize(20_000, 100 * MS, 0.3, 1));
        // Too slow: shrink.
        assertEquals(2_000, MicroMain.resize(20_000, 3000 * MS, 0.3, 1));
    }

    @Test
    void oneFastRunGrowsTheSizeAtMostTenfold() {
        assertEquals(200_000, MicroMain.resize(20_000, MS, 0.3, 1));
    }

    @Test
    void sizesAreWholeRoundsOfTheWorkloadAndNeverZero() {
        assertEquals(100_000, MicroMain.resize(100_000, 10_000 * MS, 0.3, Workload.SPAWN_BATCH));
        assertEquals(60_010, MicroMain.resize(20_001, 100 * MS, 0.3, Workload.SWITCH_TASKS));
    }
}
