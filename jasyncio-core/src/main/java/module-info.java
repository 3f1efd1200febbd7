/**
 * jasyncio: Python's asyncio for Java.
 *
 * <p>Only {@code io.jasyncio} is exported; {@code io.jasyncio.internal} and its sub-packages are
 * implementation details. The fast coroutine backend needs
 * {@code --add-exports java.base/jdk.internal.vm=io.jasyncio} (or {@code =ALL-UNNAMED} on the
 * class path); without it jasyncio runs its tasks on virtual threads.
 */
module io.jasyncio {
    // sun.misc.Signal, for loop.addSignalHandler and Ctrl-C handling in Runner.
    requires jdk.unsupported;

    exports io.jasyncio;
    exports io.jasyncio.net;
    exports io.jasyncio.subprocess;
}
