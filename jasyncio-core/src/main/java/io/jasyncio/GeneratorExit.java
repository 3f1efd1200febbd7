package io.jasyncio;

/**
 * The close signal of an async generator: Python's {@code GeneratorExit}. {@link AsyncGenerator#aclose()}
 * raises it inside the generator's body at the {@link Yielder#yield} where the body is suspended,
 * so that the body's {@code finally} blocks and try-with-resources run (and may await). The body
 * should let it propagate; if it catches it and yields another value instead, {@code aclose()}
 * fails with {@link IllegalStateException} ("async generator ignored GeneratorExit").
 *
 * <p>Like Python's, which is a {@code BaseException}, this is an {@link Error} so that
 * {@code catch (Exception e)} inside a body does not swallow it.
 */
public class GeneratorExit extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates the close signal. */
    public GeneratorExit() {
        super();
    }

    /** Creates the close signal with a message. */
    public GeneratorExit(String message) {
        super(message);
    }
}
