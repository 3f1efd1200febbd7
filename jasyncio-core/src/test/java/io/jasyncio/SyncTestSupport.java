package io.jasyncio;

/** Short-hands for the synchronization-primitive and queue tests, on top of {@link TestLoops}. */
final class SyncTestSupport {
    private SyncTestSupport() {
    }

    /** {@link TestLoops#runVirtual} for a main task with a result. */
    static <T> T runVirtual(AsyncCallable<T> main) {
        return TestLoops.runVirtual(main);
    }

    /** {@link TestLoops#runVirtual} for a main task without a result. */
    static void runVirtual(AsyncRunnable main) {
        TestLoops.runVirtual(main.asCallable());
    }

    /** The running loop's time in seconds. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
