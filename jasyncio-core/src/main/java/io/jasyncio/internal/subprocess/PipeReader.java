package io.jasyncio.internal.subprocess;

import io.jasyncio.Context;
import io.jasyncio.EventLoop;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.ReadTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read transport of a child's stdout or stderr pipe: asyncio's {@code _UnixReadPipeTransport}.
 * A pipe thread blocks reading the pipe into one of at most {@link #MAX_BUFFERS} buffers and
 * hands each filled buffer to the loop, which gives it to the protocol and returns the buffer to
 * the thread. So at most {@code MAX_BUFFERS * BUFFER_SIZE} bytes are read ahead of the protocol,
 * and while the protocol has paused reading the thread reads nothing: the pipe fills and the
 * child blocks, exactly as with a socket.
 *
 * <p>The thread owns the stream: the loop never closes it (a file descriptor closed under a
 * blocked read could be reused before the read returns). Closing asks the thread to stop; it
 * closes the stream once its current read returns, which for a live child may take until the
 * child writes again or exits.
 *
 * <p>The thread starts as soon as the child does, and holds the stream's monitor for as long as it
 * reads. When a child exits, the JDK drains whatever is in its pipes and closes them, taking that
 * monitor: the read end would be closed under a grandchild that still writes to the pipe. Holding
 * the monitor postpones that until this thread has read to the end, as asyncio would.
 */
final class PipeReader implements ReadTransport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** One read's buffer: a pipe's default capacity on Linux. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** The most buffers read ahead of the protocol. */
    static final int MAX_BUFFERS = 4;
    private static final Chunk EOF = new Chunk(null, -1, null);

    private final EventLoop loop;
    private final InputStream in;
    private final long pid;
    private final String stream;
    private final Runnable stateChanged;
    private final ConcurrentLinkedQueue<Chunk> arrived = new ConcurrentLinkedQueue<>();
    private final LoopSignal arrival;
    private final Runnable deliver = this::deliver;
    private Protocol protocol;
    private boolean closing;
    private boolean paused;
    /** Set once connectionLost is scheduled. */
    private boolean lost;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>(MAX_BUFFERS);
    private int allocated;
    private boolean connected;
    private boolean threadPaused;
    private volatile boolean stopRequested;

    /**
     * A transport reading {@code in}, the child {@code pid}'s {@code stream}; the thread starts with
     * {@link #start()}, data flows after {@link #connect()}.
     *
     * @param stateChanged run on the loop whenever {@link #expectsData()} may have changed
     */
    PipeReader(EventLoop loop, Context context, InputStream in, long pid, String stream, Protocol protocol,
            Runnable stateChanged) {
        this.loop = loop;
        this.in = in;
        this.pid = pid;
        this.stream = stream;
        this.protocol = protocol;
        this.stateChanged = stateChanged;
        this.arrival = new LoopSignal(loop, context, deliver);
    }

    /** Starts the pipe thread; it reads nothing before {@link #connect()}. */
    void start() {
        PipeThreads.start(pid, stream, this::readLoop);
    }

    /** The protocol is connected: data may flow. */
    void connect() {
        lock.lock();
        try {
            connected = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether data or end of file may still reach the protocol: open and not paused. */
    boolean expectsData() {
        return !lost && !paused;
    }

    // ---------------------------------------------------------------- the pipe thread

    private void readLoop() {
        try {
            synchronized (in) {
                readUntilEnd();
            }
        } finally {
            PipeThreads.closeQuietly(in);
        }
    }

    private void readUntilEnd() {
        while (true) {
            byte[] buf = takeBuffer();
            if (buf == null) {
                return;
            }
            int n;
            try {
                n = in.read(buf, 0, buf.length);
            } catch (IOException e) {
                if (!stopRequested) {
                    hand(new Chunk(null, 0, e));
                }
                return;
            }
            if (stopRequested) {
                return;
            }
            if (n < 0) {
                hand(EOF);
                return;
            }
            if (!hand(new Chunk(buf, n, null))) {
                return;
            }
        }
    }

    /** Waits for the connection, a free buffer and reading not to be paused; null once stopped. */
    private byte[] takeBuffer() {
        lock.lock();
        try {
            while (!stopRequested && (!connected || threadPaused || (free.isEmpty() && allocated == MAX_BUFFERS))) {
                wake.awaitUninterruptibly();
            }
            if (stopRequested) {
                return null;
            }
            byte[] b = free.pollLast();
            if (b == null) {
                allocated++;
                b = new byte[BUFFER_SIZE];
            }
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** Hands a chunk to the loop; false if the loop is closed. */
    private boolean hand(Chunk c) {
        arrived.add(c);
        return arrival.signal();
    }

    // ---------------------------------------------------------------- the loop side

    private void deliver() {
        Chunk c;
        while (!paused && !lost && (c = arrived.poll()) != null) {
            if (c == EOF) {
                closing = true;
                stopThread();
                scheduleLost(null, true);
            } else if (c.error != null) {
                fatalError(c.error, "Fatal read error on pipe transport");
            } else {
                try {
                    protocol.dataReceived(ByteBuffer.wrap(c.data, 0, c.length));
                } catch (RuntimeException e) {
                    fatalError(e, "Fatal error: protocol.data_received() call failed.");
                } finally {
                    recycle(c.data);
                }
            }
        }
    }

    private void recycle(byte[] buf) {
        lock.lock();
        try {
            free.addLast(buf);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReading() {
        return !closing && !paused;
    }

    @Override
    public void pauseReading() {
        if (closing || paused) {
            return;
        }
        paused = true;
        lock.lock();
        try {
            threadPaused = true;
        } finally {
            lock.unlock();
        }
        stateChanged.run();
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        lock.lock();
        try {
            threadPaused = false;
            wake.signal();
        } finally {
            lock.unlock();
        }
        if (!arrived.isEmpty()) {
            loop.callSoon(deliver);
        }
        stateChanged.run();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Stops reading and schedules {@code connectionLost(null)}; data not yet delivered is dropped. */
    @Override
    public void close() {
        if (!closing) {
            closeWith(null);
        }
    }

    private void fatalError(Throwable exc, String message) {
        if (exc instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": " + message, exc);
        } else {
            Map<String, Object> context = new HashMap<>();
            context.put("message", message);
            context.put("exception", exc);
            context.put("transport", this);
            context.put("protocol", protocol);
            loop.callExceptionHandler(context);
        }
        closeWith(exc);
    }

    private void closeWith(Throwable exc) {
        if (lost) {
            return;
        }
        closing = true;
        stopThread();
        dropArrived();
        scheduleLost(exc, false);
    }

    /** Schedules connectionLost, after eofReceived at end of file. */
    private void scheduleLost(Throwable exc, boolean eof) {
        lost = true;
        if (eof) {
            loop.callSoon(protocol::eofReceived);
        }
        loop.callSoon(() -> protocol.connectionLost(exc));
        stateChanged.run();
    }

    private void dropArrived() {
        Chunk c;
        while ((c = arrived.poll()) != null) {
            if (c.data != null) {
                recycle(c.data);
            }
        }
    }

    /** Tells the thread to stop; it closes the stream once its current read returns. */
    private void stopThread() {
        lock.lock();
        try {
            stopRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The loop is closing: stop at once, with no callbacks. */
    void abandon() {
        closing = true;
        lost = true;
        stopThread();
        arrived.clear();
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return defaultValue;
    }

    /** @throws IllegalArgumentException unless {@code protocol} is a {@link Protocol} (it must receive data) */
    @Override
    public void setProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!(protocol instanceof Protocol p)) {
            throw new IllegalArgumentException("a read pipe needs a Protocol: " + protocol);
        }
        this.protocol = p;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        String state = lost ? "closed" : closing ? "closing" : paused ? "paused" : "reading";
        return "PipeReader[pid=" + pid + ", " + stream + ", " + state + "]";
    }

    /** A filled buffer, end of file ({@link #EOF}) or a read error, on its way to the loop. */
    private record Chunk(byte[] data, int length, IOException error) {
    }
}
