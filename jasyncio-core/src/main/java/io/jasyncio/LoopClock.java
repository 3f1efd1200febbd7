package io.jasyncio;

/**
 * The time source of an {@link EventLoop}: monotonic nanoseconds. {@link #system()} follows real
 * time; a {@link VirtualClock} jumps to the next timer whenever the loop would otherwise wait.
 */
public sealed interface LoopClock permits LoopClock.SystemClock, VirtualClock {

    /** The current time in nanoseconds; only differences between two readings are meaningful. */
    long nanoTime();

    /** The real monotonic clock ({@link System#nanoTime()}). */
    static LoopClock system() {
        return SystemClock.INSTANCE;
    }

    /** The real monotonic clock. */
    final class SystemClock implements LoopClock {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public String toString() {
            return "LoopClock.system()";
        }
    }
}
