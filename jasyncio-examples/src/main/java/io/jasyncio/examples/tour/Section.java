package io.jasyncio.examples.tour;

import java.util.concurrent.Callable;

/**
 * One section of the tour: a name and a body that demonstrates a feature on a real loop and
 * returns a one-line summary with the figure that matters. The body throws if the feature did not
 * behave as expected.
 */
public record Section(String name, Callable<String> body) {

    /** Fails the section with {@code message} unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
