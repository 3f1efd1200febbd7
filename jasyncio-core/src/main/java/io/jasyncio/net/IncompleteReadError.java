package io.jasyncio.net;

import java.io.EOFException;

/**
 * End of stream came before a read could complete: raised by {@link StreamReader#readexactly} and
 * {@link StreamReader#readuntil}. asyncio's {@code IncompleteReadError}, an {@code EOFError}; here an
 * {@link EOFException}. The bytes read before the end are in {@link #partial()}.
 */
public class IncompleteReadError extends EOFException {
    private static final long serialVersionUID = 1L;

    /** @serial the bytes read before the end of the stream */
    private final byte[] partial;
    /** @serial how many bytes were expected, or -1 when unknown */
    private final long expected;

    /**
     * Creates the error.
     *
     * @param partial the bytes read before the end of the stream (not copied)
     * @param expected how many bytes were expected, or -1 when unknown (a {@code readuntil})
     */
    public IncompleteReadError(byte[] partial, long expected) {
        super(partial.length + " bytes read on a total of "
                + (expected < 0 ? "undefined" : String.valueOf(expected)) + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** The bytes read before the end of the stream. */
    public byte[] partial() {
        return partial;
    }

    /** How many bytes were expected in all, or -1 when unknown (asyncio's {@code None}). */
    public long expected() {
        return expected;
    }
}
