package io.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * A transport that sends data: asyncio's {@code WriteTransport}. Writes never block and never
 * suspend: what the socket does not take at once is buffered and sent when it becomes writable.
 * The buffer is unbounded; flow control tells the protocol when to stop producing: above the
 * high-water mark the transport calls {@link BaseProtocol#pauseWriting()}, and at or below the
 * low-water mark {@link BaseProtocol#resumeWriting()}.
 *
 * <p>Every write copies what it buffers: the caller may reuse its array or buffer as soon as the
 * call returns.
 */
public interface WriteTransport extends BaseTransport {

    /**
     * Sets the flow-control limits: asyncio's {@code set_write_buffer_limits(high, low)}. A null
     * {@code high} means 64 KiB, or four times {@code low} when {@code low} is given; a null
     * {@code low} means a quarter of {@code high}. May pause the protocol at once.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(Integer high, Integer low);

    /** The current flow-control limits. */
    WriteBufferLimits getWriteBufferLimits();

    /** The number of bytes buffered and not yet handed to the socket. */
    long getWriteBufferSize();

    /**
     * Sends the bytes of {@code data}, buffering what the socket does not take at once.
     *
     * @throws IllegalStateException after {@link #writeEof()}
     */
    default void write(byte[] data) {
        write(data, 0, data.length);
    }

    /**
     * Sends {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(byte[] data, int offset, int length);

    /**
     * Sends the remaining bytes of {@code data}; on return its position equals its limit.
     *
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /** Sends each array in order, as one gathering write when possible. */
    void writelines(byte[]... data);

    /** Sends the remaining bytes of each buffer in order; each buffer is consumed as by {@link #write(ByteBuffer)}. */
    void writelines(ByteBuffer... data);

    /** Sends each array of {@code data} in order. */
    default void writelines(Iterable<byte[]> data) {
        for (byte[] b : data) {
            write(b);
        }
    }

    /**
     * Closes the sending half once the buffered data is sent (a TCP FIN); the peer reads
     * end-of-file while this side can still receive. Does nothing if already done or closing.
     */
    void writeEof();

    /** Whether {@link #writeEof()} is supported: true for TCP and Unix stream sockets. */
    boolean canWriteEof();

    /**
     * Closes the transport at once, dropping buffered data: asyncio's {@code abort()}. The
     * protocol's {@code connectionLost(null)} follows on a later loop iteration.
     */
    void abort();
}
