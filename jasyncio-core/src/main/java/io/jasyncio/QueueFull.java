package io.jasyncio;

/**
 * {@link Queue#putNowait} found the queue full: asyncio's {@code QueueFull}. Unchecked, as
 * asyncio's exceptions are not declared.
 */
public class QueueFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error, naming the queue's maxsize. */
    public QueueFull(int maxsize) {
        super("queue is full (maxsize " + maxsize + ")");
    }
}
