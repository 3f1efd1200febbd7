package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.Asyncio;
import org.junit.jupiter.api.Test;

/** The Java workloads do the operations they report, on the backend under test. */
class MicroWorkloadsTest {

    @Test
    void jasyncioWorkloadsReportTheOperationsTheyRan() {
        long[] counts = Asyncio.run(() -> {
            JasyncioMicro micro = new JasyncioMicro();
            return new long[] {micro.taskSwitch(1000), micro.queue(1000), micro.lock(1000)};
        });
        assertEquals(1000, counts[0]);
        assertEquals(1000, counts[1]);
        assertEquals(1000, counts[2]);
    }

    @Test
    void threadWorkloadsReportTheOperationsTheyRan() throws Exception {
        ThreadMicro micro = new ThreadMicro();
        assertEquals(1000, micro.taskSwitch(1000));
        assertEquals(1000, micro.queue(1000));
        assertEquals(1000, micro.lock(1000));
    }

    @Test
    void countsRoundDownToWholeRoundsOfTasks() {
        long switched = Asyncio.run(() -> new JasyncioMicro().taskSwitch(1009));
        assertEquals(1000, switched);
    }

    @Test
    void networkWorkloadsAreNotRunInProcess() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThreadMicro().run(Workload.ECHO_SMALL, 10));
        assertEquals("not an in-process workload: echo64", e.getMessage());
    }
}
