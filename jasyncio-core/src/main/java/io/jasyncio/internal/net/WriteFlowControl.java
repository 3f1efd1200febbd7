package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.WriteBufferLimits;
import java.util.HashMap;
import java.util.Map;

/**
 * The write side of asyncio's flow control, shared by every transport that buffers writes
 * (sockets, pipes): the high and low water marks, and the one pause/resume pair of calls to the
 * protocol each time the buffer crosses them. Errors the protocol throws go to the loop's
 * exception handler, as asyncio does.
 */
public final class WriteFlowControl {
    /** asyncio's default high-water mark, 64 KiB; the low-water mark defaults to a quarter of it. */
    public static final int DEFAULT_HIGH_WATER = 64 * 1024;

    private final EventLoop loop;
    private final Object transport;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private boolean paused;

    /** Flow control for {@code transport} (named in error reports) on {@code loop}. */
    public WriteFlowControl(EventLoop loop, Object transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /**
     * asyncio's {@code set_write_buffer_limits}: a missing {@code high} is four times {@code low}
     * (or 64 KiB), a missing {@code low} a quarter of {@code high}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}, naming both
     */
    public void setLimits(Integer high, Integer low) {
        FlowLimits limits = FlowLimits.of(high, low, DEFAULT_HIGH_WATER);
        highWater = limits.high();
        lowWater = limits.low();
    }

    /** The current limits. */
    public WriteBufferLimits limits() {
        return new WriteBufferLimits(lowWater, highWater);
    }

    /** Whether the protocol was told to pause and not yet to resume. */
    public boolean paused() {
        return paused;
    }

    /** Pauses {@code protocol} if {@code bufferSize} grew over the high-water mark. */
    public void maybePause(long bufferSize, BaseProtocol protocol) {
        if (bufferSize <= highWater || paused) {
            return;
        }
        paused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException e) {
            report("protocol.pause_writing() failed", e, protocol);
        }
    }

    /** Resumes {@code protocol} if {@code bufferSize} drained to the low-water mark. */
    public void maybeResume(long bufferSize, BaseProtocol protocol) {
        if (paused && bufferSize <= lowWater) {
            paused = false;
            try {
                protocol.resumeWriting();
            } catch (RuntimeException e) {
                report("protocol.resume_writing() failed", e, protocol);
            }
        }
    }

    private void report(String message, RuntimeException e, BaseProtocol protocol) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", e);
        context.put("transport", transport);
        context.put("protocol", protocol);
        loop.callExceptionHandler(context);
    }
}
