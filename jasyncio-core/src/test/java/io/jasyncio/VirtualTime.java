package io.jasyncio;

/** Runs test coroutines on a loop with a {@link VirtualClock}, so timing is exact and instant. */
final class VirtualTime {
    private VirtualTime() {
    }

    /** Runs {@code main} as asyncio.run does, on a new virtual-clock loop starting at time 0. */
    static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** As {@link #run(AsyncCallable)} for a body without a result. */
    static void run(AsyncRunnable main) {
        run(main.asCallable());
    }

    /** The running loop's time in seconds. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
