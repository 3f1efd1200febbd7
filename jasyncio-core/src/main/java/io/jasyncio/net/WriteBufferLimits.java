package io.jasyncio.net;

/**
 * A transport's write flow-control limits, as returned by asyncio's
 * {@code get_write_buffer_limits()}: the protocol is paused when more than {@code high} bytes are
 * buffered, and resumed when the buffer drains to {@code low} bytes or fewer.
 *
 * @param low the low-water mark in bytes
 * @param high the high-water mark in bytes
 */
public record WriteBufferLimits(int low, int high) {
}
