package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The scratch buffers every TLS connection of one loop shares: where ciphertext is read into, where
 * it is decrypted to, and where outgoing records are built. A connection holds a shared buffer only
 * while it works on the loop's thread and gives it back before the loop runs anything else, so one
 * set per loop serves every connection; per connection there is only what must outlive a callback
 * (a partial record, data held while reading is paused).
 *
 * <p>A TLS connection may run over another one ({@code startTls} on a TLS transport): the inner
 * connection then works while the outer one holds the buffers. Each buffer is therefore taken and
 * given back, and a connection that finds it taken uses a private one.
 *
 * <p>All of them are heap buffers: the JDK's AES-GCM runs its intrinsic on arrays and copies
 * direct buffers through small temporary arrays, which costs far more than the copy the socket
 * makes of a heap buffer.
 */
final class TlsBuffers {
    /** How much ciphertext one socket read takes at most, as a plain transport's read. */
    static final int READ_SIZE = NetLoop.READ_BUFFER_SIZE;
    /** Room in front of a read for the partial record left from the previous one. */
    static final int CARRY_ROOM = 64 * 1024;
    /** The size of the buffers plaintext is decrypted into and records are built in. */
    static final int SCRATCH_SIZE = 256 * 1024;
    /** The size of the buffers of a connection that finds a shared one taken (TLS over TLS): one record. */
    static final int PRIVATE_SIZE = 32 * 1024;

    private static final Map<EventLoop, TlsBuffers> STATES = Collections.synchronizedMap(new WeakHashMap<>());

    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    /** How many TLS connections are working on the loop's thread right now, one inside the other. */
    private int active;
    private boolean appInTaken;
    private boolean netOutTaken;

    private TlsBuffers() {
    }

    /** The buffers of {@code loop}, made on first use. */
    static TlsBuffers of(EventLoop loop) {
        return STATES.computeIfAbsent(loop, l -> new TlsBuffers());
    }

    /** A connection starts working: until {@link #leave()}, the read buffer is in use. */
    void enter() {
        active++;
    }

    /** The connection that last called {@link #enter()} is done. */
    void leave() {
        active--;
    }

    /**
     * The shared buffer a socket read may go into, cleared, or null while a connection is working
     * (its data may be in it). Between handing it out and the read's completion the loop runs no
     * other code, so no one else can take it meanwhile.
     */
    ByteBuffer sharedReadBuffer() {
        if (active != 0) {
            return null;
        }
        ByteBuffer b = netIn;
        if (b == null) {
            b = ByteBuffer.allocate(READ_SIZE + CARRY_ROOM);
            netIn = b;
        }
        return b.clear();
    }

    /** Whether {@code b} is the shared read buffer. */
    boolean isSharedReadBuffer(ByteBuffer b) {
        return b == netIn;
    }

    /**
     * A cleared buffer to decrypt into, the shared one or, when that is taken, a private one of at
     * least {@code minSize} bytes; give it back with {@link #releasePlain}.
     */
    ByteBuffer takePlain(int minSize) {
        if (appInTaken) {
            return ByteBuffer.allocate(Math.max(PRIVATE_SIZE, minSize));
        }
        appInTaken = true;
        ByteBuffer b = appIn;
        if (b == null) {
            b = ByteBuffer.allocate(SCRATCH_SIZE);
            appIn = b;
        }
        return b.clear();
    }

    /** Gives back a buffer from {@link #takePlain}. */
    void releasePlain(ByteBuffer b) {
        if (b == appIn) {
            appInTaken = false;
        }
    }

    /**
     * A cleared buffer to build outgoing records in, the shared one or, when that is taken, a
     * private one of at least {@code minSize} bytes; give it back with {@link #releaseRecords}.
     */
    ByteBuffer takeRecords(int minSize) {
        if (netOutTaken) {
            return ByteBuffer.allocate(Math.max(PRIVATE_SIZE, minSize));
        }
        netOutTaken = true;
        ByteBuffer b = netOut;
        if (b == null) {
            b = ByteBuffer.allocate(SCRATCH_SIZE);
            netOut = b;
        }
        return b.clear();
    }

    /** Gives back a buffer from {@link #takeRecords}. */
    void releaseRecords(ByteBuffer b) {
        if (b == netOut) {
            netOutTaken = false;
        }
    }
}
