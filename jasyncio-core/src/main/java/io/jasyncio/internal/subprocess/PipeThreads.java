package io.jasyncio.internal.subprocess;

import java.io.Closeable;
import java.io.IOException;

/**
 * The threads that block on child-process pipes. They are platform threads: a virtual thread
 * blocked reading a pipe pins its carrier, and enough of them would starve every virtual thread
 * of the JVM, the tasks of the virtual-thread backend included.
 */
final class PipeThreads {
    /** The prefix of every pipe thread's name; the full name says the child's pid and the stream. */
    static final String NAME_PREFIX = "jasyncio-pipe-";
    /** The pipe loops need little stack: a small reservation keeps many children cheap. */
    private static final long STACK_SIZE = 256 * 1024;

    private PipeThreads() {
    }

    /** Starts a daemon thread named after the child and the stream running {@code body}. */
    static Thread start(long pid, String stream, Runnable body) {
        return Thread.ofPlatform().daemon().name(NAME_PREFIX + pid + "-" + stream).stackSize(STACK_SIZE).start(body);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing a pipe end fails only if it is already unusable; nothing is lost.
        }
    }
}
