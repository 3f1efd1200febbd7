package io.jasyncio.subprocess;

import io.jasyncio.net.BaseProtocol;
import java.nio.ByteBuffer;

/**
 * The callbacks of a child process's transport: asyncio's {@code SubprocessProtocol}. All run on
 * the loop's thread, one at a time, and must not suspend. Every method has an empty default.
 *
 * <p>Order: {@link #connectionMade} (with the {@link SubprocessTransport}) first; then, in any
 * interleaving, {@link #pipeDataReceived} and one {@link #pipeConnectionLost} per pipe, and
 * {@link #processExited} once; {@link #connectionLost} last, once the process has exited and
 * every pipe is closed. {@link #pauseWriting}/{@link #resumeWriting} report the flow control
 * of the child's stdin pipe.
 *
 * <p>An exception thrown by one of these callbacks goes to the loop's exception handler; the
 * transport carries on.
 */
public interface SubprocessProtocol extends BaseProtocol {

    /**
     * The child wrote to its stdout ({@code fd} 1) or stderr ({@code fd} 2): the remaining bytes
     * of {@code data}. As with {@link io.jasyncio.net.Protocol#dataReceived}, {@code data} is valid
     * only during the call: copy what you keep.
     */
    default void pipeDataReceived(int fd, ByteBuffer data) {
    }

    /**
     * The pipe of the child's {@code fd} (0, 1 or 2) is closed: end of file, a close by this
     * side, or an error.
     *
     * @param exc null for a regular close or end of file, else the error
     */
    default void pipeConnectionLost(int fd, Throwable exc) {
    }

    /** The child process has exited; its return code is the transport's {@link SubprocessTransport#getReturncode()}. */
    default void processExited() {
    }
}
