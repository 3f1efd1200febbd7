package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsRunEveryWorkloadAndTheMemoryTargetFiveTimes() {
        Settings s = Settings.parse(new String[0]);
        assertEquals(EnumSet.allOf(Workload.class), s.workloads());
        assertEquals(5, s.reps());
        assertEquals(Settings.MEMORY_TASKS, s.memoryTasks());
        assertEquals(Path.of("docs"), s.out());
        assertFalse(s.quick());
    }

    @Test
    void onlySelectsWorkloadsAndLeavesTheMemoryTargetOutUnlessNamed() {
        Settings s = Settings.parse(new String[] {"--only", "switch,echo4k"});
        assertEquals(EnumSet.of(Workload.TASK_SWITCH, Workload.ECHO_LARGE), s.workloads());
        assertEquals(0, s.memoryTasks());
        assertEquals(Settings.MEMORY_TASKS, Settings.parse(new String[] {"--only", "memory"}).memoryTasks());
    }

    @Test
    void quickRunIsMarkedAndShort() {
        Settings s = Settings.parse(new String[] {"--quick", "--reps", "9"});
        assertTrue(s.quick());
        assertEquals(2, s.reps());
        assertTrue(s.windowSeconds() < 1);
    }

    @Test
    void badRepsAreRejectedWithTheValue() {
        assertEquals("--reps must be a whole number: many",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--reps", "many"})).getMessage());
        assertEquals("--reps must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--reps", "0"})).getMessage());
    }

    @Test
    void unknownWorkloadAndOptionAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--only", "ping"}))
                .getMessage().endsWith(": ping"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--fast"}))
                .getMessage().startsWith("unknown option: --fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--out"}))
                .getMessage().startsWith("--out needs a value"));
    }
}
