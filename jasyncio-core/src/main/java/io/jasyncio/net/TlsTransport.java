package io.jasyncio.net;

/**
 * The transport of a TLS connection: asyncio's {@code _SSLProtocolTransport}. Every transport a
 * protocol gets from a call given a {@link TlsOptions} ({@code createConnection},
 * {@code createServer}, {@code openConnection}...) or from
 * {@link io.jasyncio.EventLoop#startTls EventLoop.startTls} is one; cast
 * {@link Connection#transport()} or {@link StreamWriter#transport()} to reach these methods.
 *
 * <p>Besides what every {@link Transport} does, a TLS transport has asyncio's read flow control.
 * Records received while the protocol has {@linkplain #pauseReading() paused reading} wait in the
 * transport; once {@linkplain #getReadBufferSize() that buffer} reaches the high-water mark the
 * socket is not read any more, so the kernel's buffers fill and the peer's sends slow down, and
 * once it is down to the low-water mark (after the protocol resumed reading and took the data) the
 * socket is read again. The defaults are asyncio's: 256 KiB and 64 KiB. While the protocol reads,
 * nothing waits for it and the socket is always read.
 *
 * <p>Like every transport, a TLS transport is used on its loop's thread only; none of its methods
 * suspends.
 */
public interface TlsTransport extends Transport {

    /**
     * Sets the read flow-control limits: asyncio's {@code set_read_buffer_limits(high, low)}. A null
     * {@code high} means 256 KiB, or four times {@code low} when {@code low} is given; a null
     * {@code low} means a quarter of {@code high}. Takes effect at once: the socket stops being
     * read if the buffer already holds {@code high} bytes (and is not empty), and is read again if
     * it was stopped and the buffer holds {@code low} bytes or fewer. A {@code high} of zero stops
     * reading whenever anything waits for a paused protocol.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}, naming both values
     */
    void setReadBufferLimits(Integer high, Integer low);

    /** The current read flow-control limits: asyncio's {@code get_read_buffer_limits()}. */
    ReadBufferLimits getReadBufferLimits();

    /**
     * The number of received bytes waiting for the protocol: asyncio's
     * {@code get_read_buffer_size()}. They are records not yet decrypted (the rest of a record
     * still arriving, or data held while the protocol has paused reading) and decrypted bytes the
     * protocol has not yet taken. Zero once the connection is lost.
     */
    long getReadBufferSize();
}
