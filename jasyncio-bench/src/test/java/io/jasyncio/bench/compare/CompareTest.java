package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompareTest {

    @Test
    void aWindowLineBecomesRatesPerSecondAndCpuPerRoundTrip() {
        // 1,000 round trips in 0.5 s; the server used 2 ms of user and 3 ms of kernel CPU, the client 250 ms.
        Sample s = Compare.windowSample("1000 500000000 2000000 3000000 250000000 400000 1200000".split(" "));
        assertEquals(2000, s.rate(), 1e-9);
        assertEquals(5, s.cpuMicrosPerOp(), 1e-9);
        assertEquals(3, s.kernelMicrosPerOp(), 1e-9);
        assertEquals(0.5, s.clientCpuShare(), 1e-9);
        assertEquals(400, s.p50Micros(), 1e-9);
        assertEquals(1200, s.p99Micros(), 1e-9);
    }

    @Test
    void aWindowWithoutRoundTripsHasNoCpuPerRoundTrip() {
        Sample s = Compare.windowSample("0 500000000 2000000 3000000 250000000 0 0".split(" "));
        assertEquals(0, s.rate());
        assertEquals(Double.NaN, s.cpuMicrosPerOp());
    }
}
