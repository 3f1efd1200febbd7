package io.jasyncio.internal.coro;

/**
 * Chooses the coroutine backend once per JVM: the continuation backend when {@code java.base}
 * exports {@code jdk.internal.vm} to jasyncio, virtual threads otherwise. The system property
 * {@code jasyncio.backend} ({@code auto}, {@code continuation}, {@code virtual}) overrides the choice.
 * On the virtual-thread backend, {@code jasyncio.loopThread} ({@code virtual}, the default, or
 * {@code caller}) says where a loop started from a platform thread runs: on a virtual thread of its
 * own, for cheap task switches, or on the calling thread, for the lowest wake-up latency of an idle
 * loop.
 */
public final class Backends {
    /** The system property that forces a backend. */
    public static final String PROPERTY = "jasyncio.backend";
    /** The system property that says where the virtual-thread backend runs a loop. */
    public static final String LOOP_THREAD_PROPERTY = "jasyncio.loopThread";

    private static final CoroutineBackend SELECTED = select(System.getProperty(PROPERTY, "auto"));

    private Backends() {
    }

    /** The backend in use by this JVM. */
    public static CoroutineBackend selected() {
        return SELECTED;
    }

    /** Whether the continuation backend can be used in this JVM. */
    public static boolean continuationsAvailable() {
        return Object.class.getModule().isExported("jdk.internal.vm", Backends.class.getModule());
    }

    static CoroutineBackend select(String requested) {
        return switch (requested) {
            case "auto", "" -> continuationsAvailable() ? new ContinuationBackend() : virtualBackend();
            case "virtual" -> virtualBackend();
            case "continuation" -> {
                if (!continuationsAvailable()) {
                    throw new IllegalStateException(PROPERTY + "=continuation needs the JVM flag "
                            + "--add-exports java.base/jdk.internal.vm=" + moduleName());
                }
                yield new ContinuationBackend();
            }
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be auto, continuation or virtual, not '" + requested + "'");
        };
    }

    private static CoroutineBackend virtualBackend() {
        return new VirtualThreadBackend(loopOnVirtualThread(System.getProperty(LOOP_THREAD_PROPERTY, "virtual")));
    }

    /** Parses {@link #LOOP_THREAD_PROPERTY}: whether loops started from platform threads run on virtual threads. */
    static boolean loopOnVirtualThread(String value) {
        return switch (value) {
            case "virtual", "" -> true;
            case "caller" -> false;
            default -> throw new IllegalArgumentException(
                    LOOP_THREAD_PROPERTY + " must be virtual or caller, not '" + value + "'");
        };
    }

    private static String moduleName() {
        Module m = Backends.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }
}
