package io.jasyncio;

/** Rethrows stored exceptions unchanged, checked ones included, as {@code await} promises. */
final class Throwables {
    private Throwables() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable e) throws E {
        throw (E) e;
    }
}
