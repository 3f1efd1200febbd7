package io.jasyncio;

/**
 * Thrown by {@link Runner#run} (and so {@link Asyncio#run}) when Ctrl-C (SIGINT) cancelled the
 * main task, as asyncio raises {@code KeyboardInterrupt}. Like Python's, which is a
 * {@code BaseException}, it is an {@link Error}, so {@code catch (Exception e)} lets it through.
 */
public class KeyboardInterrupt extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public KeyboardInterrupt() {
        super("interrupted by SIGINT");
    }
}
