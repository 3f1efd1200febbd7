package io.jasyncio.net;

import java.util.Objects;

/**
 * The two ends of a stream connection, as returned by {@link io.jasyncio.Asyncio#openConnection}:
 * asyncio's {@code (reader, writer)} pair.
 *
 * @param reader reads what the peer sends
 * @param writer sends to the peer
 */
public record StreamConnection(StreamReader reader, StreamWriter writer) {

    /** Checks that neither part is null. */
    public StreamConnection {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
    }
}
