package io.jasyncio;

import java.util.Map;

/**
 * Receives errors the loop cannot hand to anyone else: a callback that threw, a task whose
 * exception was never retrieved, a task destroyed while pending. Installed with
 * {@link EventLoop#setExceptionHandler}. The context uses asyncio's keys: {@code message} (always),
 * {@code exception}, {@code future}, {@code task}, {@code handle}, {@code source_traceback}.
 */
@FunctionalInterface
public interface ExceptionHandler {

    /** Handles one error; runs on the loop thread. An exception it throws is logged and dropped. */
    void handle(EventLoop loop, Map<String, Object> context);
}
