package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void idleConnectionsKeepTheirFullCountWhenTheLimitsAllow() {
        Environment.IdleBudget b = Environment.idleConnectionBudget(20_000, 28_232);
        assertEquals(Workload.IDLE_CONNECTIONS, b.count());
        assertNull(b.note());
    }

    @Test
    void idleConnectionsScaleDownToTheOpenFilesLimitAndSaySo() {
        Environment.IdleBudget b = Environment.idleConnectionBudget(4096, 28_232);
        assertEquals(4096 - Workload.ACTIVE_CONNECTIONS - 500, b.count());
        assertTrue(b.note().contains("4096 open files per process (ulimit -Hn)"), b.note());
    }

    @Test
    void idleConnectionsScaleDownToTheLocalPortRangeAndSaySo() {
        Environment.IdleBudget b = Environment.idleConnectionBudget(1_000_000, 5000);
        assertEquals(5000 - Workload.ACTIVE_CONNECTIONS - 500, b.count());
        assertTrue(b.note().contains("5000 local ports"), b.note());
    }

    @Test
    void aMissingPythonPeerScriptMarksBothPythonContendersMissing() {
        Environment env = Environment.detect(null, Path.of("no", "such", "asyncio_peer.py"));
        assertTrue(env.missing.get(Contender.ASYNCIO).contains("not found"), env.missing.toString());
        assertTrue(env.missing.get(Contender.UVLOOP).contains("not found"), env.missing.toString());
    }
}
