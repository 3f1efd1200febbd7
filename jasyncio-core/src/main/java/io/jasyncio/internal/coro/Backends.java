package io.jasyncio.internal.coro;

/**
 * Chooses the coroutine backend once per JVM: the continuation backend when {@code java.base}
 * exports {@code jdk.internal.vm} to jasyncio, virtual threads otherwise. The system property
 * {@code jasyncio.backend} ({@code auto}, {@code continuation}, {@code virtual}) overrides the choice.
 */
public final class Backends {
    /** The system property that forces a backend. */
    public static final String PROPERTY = "jasyncio.backend";

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
            case "auto", "" -> continuationsAvailable() ? new ContinuationBackend() : new VirtualThreadBackend();
            case "virtual" -> new VirtualThreadBackend();
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

    private static String moduleName() {
        Module m = Backends.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }
}
