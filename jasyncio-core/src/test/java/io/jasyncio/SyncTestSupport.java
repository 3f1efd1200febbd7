package io.jasyncio;

/** Shared set-up of the synchronization-primitive and queue tests: a virtual-clock loop and yields. */
final class SyncTestSupport {
    private SyncTestSupport() {
    }

    /** Runs {@code main} as the main task of a new loop on a {@link VirtualClock}. */
    static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** As {@link #runVirtual(AsyncCallable)} for a body without a result. */
    static void runVirtual(AsyncRunnable main) {
        runVirtual(main.asCallable());
    }

    /** Lets the loop run {@code n} iterations: {@code n} times {@code await asyncio.sleep(0)}. */
    static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Asyncio.sleep(0);
        }
    }

    /** The running loop's time in seconds. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
