package io.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * A protocol that supplies the buffer the transport reads into, for zero-copy receiving:
 * asyncio's {@code BufferedProtocol}. For each read the transport calls {@link #getBuffer}, reads
 * into the returned buffer at its position, then calls {@link #bufferUpdated} with the number of
 * bytes read. Callback order: {@code connectionMade}, any number of {@code getBuffer} /
 * {@code bufferUpdated} pairs, at most one {@link #eofReceived}, then {@code connectionLost}.
 */
public interface BufferedProtocol extends BaseProtocol {

    /**
     * The buffer to read into. The transport reads into its remaining space, from its position; it
     * must have at least one byte of room. A direct buffer saves the JDK a copy.
     *
     * @param sizeHint how many bytes the transport would like room for; -1 when it has no idea
     */
    ByteBuffer getBuffer(int sizeHint);

    /**
     * {@code nbytes} bytes were read into the buffer last returned by {@link #getBuffer}; its
     * position has moved past them.
     */
    void bufferUpdated(int nbytes);

    /** The peer closed its sending half; as {@link Protocol#eofReceived()}. */
    default boolean eofReceived() {
        return false;
    }
}
