package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runReturnsResultAfterSleeps() {
        int r = Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> { Asyncio.sleep(0.01); return 41; });
            Asyncio.sleep(0);
            return t.await() + 1;
        });
        assertEquals(42, r);
    }
}
