package io.jasyncio;

/**
 * {@link Queue#getNowait()} found the queue empty: asyncio's {@code QueueEmpty}. Unchecked, as
 * asyncio's exceptions are not declared.
 */
public class QueueEmpty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public QueueEmpty() {
        super("queue is empty");
    }
}
