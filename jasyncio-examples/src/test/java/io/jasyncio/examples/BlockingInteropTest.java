package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingInteropTest {

    @Test
    void blockingFileAndHttpCallsAndAnAwaitedSendAsyncLeaveTheLoopRunning() throws Exception {
        BlockingInterop.Report r = BlockingInterop.run();
        assertEquals("read on an executor thread", r.file());
        assertEquals("hello, blocking", r.blockingHttp());
        assertEquals("hello, async", r.asyncHttp());
        assertTrue(r.ticks() >= BlockingInterop.TICKS_BEFORE_ANSWER,
                "the server answers only after the loop ticked; ticks: " + r.ticks());
    }
}
