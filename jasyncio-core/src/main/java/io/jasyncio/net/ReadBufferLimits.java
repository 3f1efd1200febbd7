package io.jasyncio.net;

/**
 * A TLS transport's read flow-control limits, as returned by asyncio's
 * {@code get_read_buffer_limits()}: while the protocol has paused reading, the socket stops being
 * read once {@code high} bytes wait for the protocol, and is read again once they are down to
 * {@code low} bytes or fewer.
 *
 * @param low the low-water mark in bytes
 * @param high the high-water mark in bytes
 * @see TlsTransport#getReadBufferLimits()
 */
public record ReadBufferLimits(int low, int high) {
}
