package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The networking state of one event loop: the buffer every stream transport of the loop reads into,
 * a pool of write-buffer chunks, and which channel belongs to which transport. Used from the
 * loop's thread (and its tasks) only, one at a time, so nothing here is synchronized except the
 * lookup of the state itself.
 *
 * <p>The state is found through a weak map so that the loop does not need a field for it; each
 * transport looks it up once, when it is made.
 */
public final class NetLoop {
    /** How much one read takes from a socket at most: asyncio's {@code max_size}. */
    static final int READ_BUFFER_SIZE = 256 * 1024;
    /** The size of a write-buffer chunk. */
    static final int CHUNK_SIZE = 64 * 1024;
    private static final int MAX_POOLED_CHUNKS = 32;
    /**
     * Direct memory the loop's write buffers may hold; past it chunks are heap arrays, which the
     * JDK copies into its own direct buffers when writing. Keeps a writer that never drains from
     * exhausting direct memory.
     */
    private static final long DIRECT_CHUNK_BUDGET = 32L * 1024 * 1024;

    private static final Map<EventLoop, NetLoop> STATES = Collections.synchronizedMap(new WeakHashMap<>());

    private ByteBuffer readBuffer;
    private final ArrayDeque<ByteBuffer> freeChunks = new ArrayDeque<>();
    private long directChunkBytes;
    private final Map<SelectableChannel, SelectorTransport> transports = new IdentityHashMap<>();

    private NetLoop() {
    }

    /** The networking state of {@code loop}, created on first use. */
    public static NetLoop of(EventLoop loop) {
        return STATES.computeIfAbsent(loop, l -> new NetLoop());
    }

    /**
     * The loop's shared read buffer, cleared. Valid until the next call: a transport reads into it
     * and hands it to its protocol before any other transport of the loop can read.
     */
    ByteBuffer readBuffer() {
        ByteBuffer b = readBuffer;
        if (b == null) {
            b = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            readBuffer = b;
        }
        return b.clear();
    }

    /** An empty chunk (position and limit 0) for a write buffer. */
    ByteBuffer takeChunk() {
        ByteBuffer c = freeChunks.pollLast();
        if (c != null) {
            return c.position(0).limit(0);
        }
        if (directChunkBytes + CHUNK_SIZE <= DIRECT_CHUNK_BUDGET) {
            directChunkBytes += CHUNK_SIZE;
            return ByteBuffer.allocateDirect(CHUNK_SIZE).limit(0);
        }
        return ByteBuffer.allocate(CHUNK_SIZE).limit(0);
    }

    /** Gives back a chunk no longer used. */
    void releaseChunk(ByteBuffer chunk) {
        if (!chunk.isDirect()) {
            return;
        }
        if (freeChunks.size() < MAX_POOLED_CHUNKS) {
            freeChunks.addLast(chunk);
        } else {
            directChunkBytes -= CHUNK_SIZE;
        }
    }

    /** Records that {@code transport} owns {@code channel}. */
    void register(SelectableChannel channel, SelectorTransport transport) {
        SelectorTransport previous = transports.get(channel);
        if (previous != null && !previous.isClosing()) {
            throw new IllegalStateException("Channel " + channel + " is used by transport " + previous);
        }
        transports.put(channel, transport);
    }

    /** Forgets {@code transport}'s ownership of {@code channel}. */
    void unregister(SelectableChannel channel, SelectorTransport transport) {
        transports.remove(channel, transport);
    }

    /**
     * Rejects a low-level socket operation on a channel that a transport owns and still uses:
     * asyncio's {@code _ensure_fd_no_transport}.
     *
     * @throws IllegalStateException naming the transport
     */
    void ensureNoTransport(SelectableChannel channel) {
        SelectorTransport t = transports.get(channel);
        if (t != null && !t.isClosing()) {
            throw new IllegalStateException("Channel " + channel + " is used by transport " + t);
        }
    }
}
