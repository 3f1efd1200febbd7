package io.jasyncio;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: asyncio's
 * {@code BoundedSemaphore}. Its count never exceeds the initial value, which catches a release
 * without a matching acquire.
 *
 * <pre>{@code
 * var pool = new BoundedSemaphore(2);
 * try (var held = pool.acquire()) {
 *     useConnection();
 * }
 * pool.release();   // IllegalStateException: released too many times
 * }</pre>
 *
 * <p>Fairness, cancellation and threading are those of {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** Creates a bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @throws IllegalArgumentException if {@code value} is negative (asyncio's ValueError)
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back, as {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if this would raise the count above the initial value
     *     (asyncio's ValueError "BoundedSemaphore released too many times")
     */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times (initial value " + bound + ")");
        }
        super.release();
    }
}
