package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Shared set-up for tests: loops on the virtual clock, a recorder for the exception handler, and
 * a check of which thread runs a loop.
 */
final class TestLoops {
    private TestLoops() {
    }

    /** A fresh loop on a virtual clock. */
    static EventLoop virtualLoop() {
        return EventLoop.newEventLoop(new VirtualClock());
    }

    /** Runs {@code main} with {@link Asyncio#run} on a virtual-clock loop. */
    static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, TestLoops::virtualLoop, null);
    }

    /** As {@link #runVirtual(AsyncCallable)} for a body without a result. */
    static void runVirtual(AsyncRunnable main) {
        runVirtual(main.asCallable());
    }

    /** The running loop's time in seconds. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }

    /** Installs an exception handler on {@code loop} that keeps every context it receives. */
    static List<Map<String, Object>> recordErrors(EventLoop loop) {
        List<Map<String, Object>> seen = Collections.synchronizedList(new ArrayList<>());
        loop.setExceptionHandler((l, context) -> seen.add(context));
        return seen;
    }

    /** Asks the JVM to collect garbage until {@code condition} holds, at most a bounded number of times. */
    static boolean gcUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 50 && !condition.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /**
     * Asserts that {@code observed}, the current thread of a callback of {@code lt}'s loop, is the
     * thread running that loop: {@code lt.thread()} itself, or on the virtual-thread backend the
     * virtual thread of the same name that {@code lt.thread()} runs the loop on.
     */
    static void assertRunsTheLoopOf(EventLoopThread lt, Thread observed) {
        if (lt.loop().backendName().equals("virtual")) {
            assertTrue(observed.isVirtual(), observed + " is not a virtual thread");
            assertEquals(lt.thread().getName(), observed.getName());
        } else {
            assertSame(lt.thread(), observed);
        }
    }
}
