package io.jasyncio.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a transport accepted but the socket has not taken yet, in fixed-size chunks borrowed
 * from the loop's pool. Small writes are packed into the tail chunk; flushing hands up to
 * {@link #MAX_GATHER} chunks to the socket in one gathering write. Each chunk holds its pending
 * bytes between its position and its limit.
 */
final class WriteQueue {
    /** The most chunks one gathering write hands to the socket (4 MiB). */
    static final int MAX_GATHER = 64;

    private final NetLoop net;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private ByteBuffer[] gather;
    private long size;

    WriteQueue(NetLoop net) {
        this.net = net;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The number of bytes waiting. */
    long size() {
        return size;
    }

    /** Copies the remaining bytes of {@code src} to the end of the queue, consuming them. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        size += n;
        while (src.hasRemaining()) {
            ByteBuffer tail = chunks.peekLast();
            if (tail == null || tail.limit() == tail.capacity()) {
                tail = net.takeChunk();
                chunks.addLast(tail);
            }
            int at = tail.limit();
            int k = Math.min(src.remaining(), tail.capacity() - at);
            tail.limit(at + k);
            tail.put(at, src, src.position(), k);
            src.position(src.position() + k);
        }
    }

    /**
     * Hands as much as the socket takes to {@code channel} and drops what it took.
     *
     * @return the number of bytes written
     * @throws IOException if the write fails; the queue is then unchanged
     */
    long writeTo(GatheringByteChannel channel) throws IOException {
        long written;
        if (chunks.size() == 1) {
            written = channel.write(chunks.peekFirst());
        } else {
            ByteBuffer[] g = gather;
            if (g == null) {
                g = new ByteBuffer[MAX_GATHER];
                gather = g;
            }
            int k = 0;
            for (ByteBuffer c : chunks) {
                g[k++] = c;
                if (k == MAX_GATHER) {
                    break;
                }
            }
            try {
                written = channel.write(g, 0, k);
            } finally {
                Arrays.fill(g, 0, k, null);
            }
        }
        size -= written;
        ByteBuffer head;
        while ((head = chunks.peekFirst()) != null && !head.hasRemaining()) {
            chunks.pollFirst();
            net.releaseChunk(head);
        }
        return written;
    }

    /** Drops everything waiting. */
    void clear() {
        ByteBuffer c;
        while ((c = chunks.pollFirst()) != null) {
            net.releaseChunk(c);
        }
        size = 0;
    }
}
