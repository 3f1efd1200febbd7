package io.jasyncio;

/**
 * A put on a queue that was {@link Queue#shutdown shut down}, or a get on one that was shut down
 * and has no item left (or was shut down immediately): asyncio's {@code QueueShutDown} (3.13).
 * Unchecked, as asyncio's exceptions are not declared.
 */
public class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public QueueShutDown() {
        super("queue is shut down");
    }
}
