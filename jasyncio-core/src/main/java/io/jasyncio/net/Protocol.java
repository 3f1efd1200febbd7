package io.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * A protocol for stream transports that receives data as it arrives: asyncio's {@code Protocol}.
 * Callback order: {@code connectionMade}, any number of {@link #dataReceived}, at most one
 * {@link #eofReceived}, then {@code connectionLost}.
 */
public interface Protocol extends BaseProtocol {

    /**
     * Bytes arrived: the remaining bytes of {@code data}.
     *
     * <p>{@code data} is valid only during this call: the transport reuses it for the next read,
     * so a protocol that keeps bytes must copy them (writing it to a transport copies it). The
     * transport does not allocate per read.
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its sending half. Return true to keep the connection open for writing (the
     * transport then stops reading and the protocol closes it later); return false, the default, to
     * let the transport close itself.
     */
    default boolean eofReceived() {
        return false;
    }
}
