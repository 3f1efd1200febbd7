package io.jasyncio.internal.net;

/**
 * A pair of flow-control water marks in bytes, as asyncio's {@code add_flowcontrol_defaults}
 * resolves them for {@code set_write_buffer_limits} and {@code set_read_buffer_limits}.
 *
 * @param low the low-water mark
 * @param high the high-water mark
 */
record FlowLimits(int low, int high) {

    /**
     * The marks for the arguments of a {@code set_..._buffer_limits(high, low)} call: a missing
     * {@code high} is four times {@code low}, or {@code defaultHigh} when both are missing; a
     * missing {@code low} is a quarter of {@code high}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}, naming both values
     */
    static FlowLimits of(Integer high, Integer low, int defaultHigh) {
        long h = high != null ? high : low != null ? 4L * low : defaultHigh;
        // Floor division, as Python's // (a negative high gives a negative low, named in the error).
        long l = low != null ? low : Math.floorDiv(h, 4);
        if (!(h >= l && l >= 0) || h > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        return new FlowLimits((int) l, (int) h);
    }
}
