package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debug mode finds the call that blocks the loop. Each test blocks the loop on a latch that the
 * log handler itself opens when the report arrives: no timing is guessed.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingWatchdogTest {
    private final Logger jul = Logger.getLogger("io.jasyncio");
    private final List<String> blockingReports = new CopyOnWriteArrayList<>();
    private final List<String> slowReports = new CopyOnWriteArrayList<>();
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String msg = record.getParameters() == null ? record.getMessage()
                    : java.text.MessageFormat.format(record.getMessage(), record.getParameters());
            // Other slow steps (a class initialized on first use) are reported too: keep only ours.
            if (msg.contains("has been blocking the event loop") && msg.contains("accidentallyBlockingCall")) {
                blockingReports.add(msg);
                reported.countDown();
            } else if (msg.startsWith("Executing")) {
                slowReports.add(msg);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        jul.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        jul.removeHandler(handler);
    }

    private static EventLoop debugLoop() {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        loop.setDebug(true);
        loop.setSlowCallbackDuration(Duration.ofMillis(20));
        return loop;
    }

    /** Where a task blocks the loop by accident (a JDBC call, a Thread.sleep): here, a latch. */
    private void accidentallyBlockingCall() throws InterruptedException {
        reported.await();
    }

    @Test
    void taskBlockingTheLoopIsReportedWithItsNameAndTheStackWhereItBlocks() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                accidentallyBlockingCall();
                return null;
            }, "report-generator");
            return t.await();
        }, BlockingWatchdogTest::debugLoop, true);
        assertEquals(1, blockingReports.size(), blockingReports.toString());
        String report = blockingReports.get(0);
        assertTrue(report.contains("name=report-generator"), report);
        assertTrue(report.contains("BlockingWatchdogTest.accidentallyBlockingCall"), report);
        assertTrue(report.contains("CountDownLatch.await"), report);
        assertTrue(report.indexOf("CountDownLatch.await") < report.indexOf("accidentallyBlockingCall"),
                "innermost frame first: " + report);
        assertTrue(slowReports.stream().anyMatch(s -> s.contains("report-generator")),
                "asyncio's 'Executing ... took' line follows: " + slowReports);
    }

    @Test
    void plainCallbackBlockingTheLoopIsReportedWithItsStack() {
        try (EventLoop loop = debugLoop()) {
            loop.callSoon(() -> {
                try {
                    accidentallyBlockingCall();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.stop();
            });
            loop.runForever();
        }
        assertEquals(1, blockingReports.size(), blockingReports.toString());
        String report = blockingReports.get(0);
        assertTrue(report.startsWith("Handle["), report);
        assertTrue(report.contains("BlockingWatchdogTest.accidentallyBlockingCall"), report);
    }
}
