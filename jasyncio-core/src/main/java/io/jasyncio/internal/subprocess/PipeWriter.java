package io.jasyncio.internal.subprocess;

import io.jasyncio.Context;
import io.jasyncio.EventLoop;
import io.jasyncio.internal.net.WriteFlowControl;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.WriteBufferLimits;
import io.jasyncio.net.WriteTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write transport of a child's stdin pipe: asyncio's {@code _UnixWritePipeTransport}. Writes
 * copy the bytes into a queue and return at once; a pipe thread, started on the first write,
 * writes the queue to the pipe (blocking while the pipe is full) and reports every slice it wrote
 * back to the loop. The bytes written but not yet reported are the write buffer, whose size drives
 * the protocol's {@code pauseWriting}/{@code resumeWriting} as for a socket.
 *
 * <p>The thread owns the stream; the loop closes it itself only if no thread was ever started.
 * A thread blocked writing to a child that never reads stays blocked until the child reads or
 * exits (closing the transport of a running child kills it).
 */
final class PipeWriter implements WriteTransport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** The most bytes handed to the pipe per call, so that progress is reported during a large write. */
    static final int SLICE = 64 * 1024;
    /** Writes smaller than this are packed together into chunks of this size. */
    private static final int PACK_SIZE = 16 * 1024;
    /** After this many writes to a closed pipe, each further write logs a warning (asyncio's constant). */
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final EventLoop loop;
    private final OutputStream out;
    private final long pid;
    private final LoopSignal progress;
    private BaseProtocol protocol;
    private Thread thread;
    private long bufferSize;
    private boolean closing;
    /** Set once connectionLost is scheduled. */
    private boolean lost;
    private int connLost;
    private final WriteFlowControl flowControl;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private boolean closeRequested;
    private volatile boolean stopRequested;
    private final AtomicLong written = new AtomicLong();
    private volatile IOException failure;

    PipeWriter(EventLoop loop, Context context, OutputStream out, long pid, BaseProtocol protocol) {
        this.loop = loop;
        this.out = out;
        this.pid = pid;
        this.protocol = protocol;
        this.flowControl = new WriteFlowControl(loop, this);
        this.progress = new LoopSignal(loop, context, this::onProgress);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0 || droppedAfterClose()) {
            return;
        }
        lock.lock();
        try {
            Chunk c = chunkWithRoom(length);
            System.arraycopy(data, offset, c.data, c.length, length);
            c.length += length;
            wake.signal();
        } finally {
            lock.unlock();
        }
        accepted(length);
    }

    @Override
    public void write(ByteBuffer data) {
        int n = data.remaining();
        if (n == 0 || droppedAfterClose()) {
            data.position(data.limit());
            return;
        }
        lock.lock();
        try {
            Chunk c = chunkWithRoom(n);
            data.get(c.data, c.length, n);
            c.length += n;
            wake.signal();
        } finally {
            lock.unlock();
        }
        accepted(n);
    }

    /**
     * The queued chunk to copy {@code n} more bytes into: the last one if it has room (the thread
     * never holds a queued chunk), else a new one. Called with the lock held.
     */
    private Chunk chunkWithRoom(int n) {
        Chunk tail = queue.peekLast();
        if (tail != null && tail.data.length - tail.length >= n) {
            return tail;
        }
        Chunk c = new Chunk(new byte[Math.max(n, PACK_SIZE)], 0);
        queue.addLast(c);
        return c;
    }

    @Override
    public void writelines(byte[]... data) {
        for (byte[] b : data) {
            write(b);
        }
    }

    @Override
    public void writelines(ByteBuffer... data) {
        for (ByteBuffer b : data) {
            write(b);
        }
    }

    /** asyncio drops writes to a closing or closed pipe, warning after a few. */
    private boolean droppedAfterClose() {
        if (!closing && !lost) {
            return false;
        }
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.log(System.Logger.Level.WARNING, "pipe closed by peer or os.write(pipe, data) raised exception.");
        }
        connLost++;
        return true;
    }

    private void accepted(int length) {
        bufferSize += length;
        if (thread == null) {
            thread = PipeThreads.start(pid, "stdin", this::writeLoop);
        }
        maybePauseProtocol();
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }

    // ---------------------------------------------------------------- the pipe thread

    private void writeLoop() {
        try {
            Chunk c;
            while ((c = next()) != null) {
                for (int off = 0; off < c.length; ) {
                    int n = Math.min(SLICE, c.length - off);
                    out.write(c.data, off, n);
                    out.flush();
                    off += n;
                    written.addAndGet(n);
                    if (!progress.signal() || stopRequested) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            if (!stopRequested) {
                failure = e;
                progress.signal();
            }
        } finally {
            PipeThreads.closeQuietly(out);
        }
    }

    /** The next chunk to write; null when stopped, or when asked to close and all is written. */
    private Chunk next() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closeRequested && !stopRequested) {
                wake.awaitUninterruptibly();
            }
            return stopRequested ? null : queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the loop side

    private void onProgress() {
        long n = written.getAndSet(0);
        if (lost) {
            return;
        }
        bufferSize -= n;
        IOException f = failure;
        if (f != null) {
            failure = null;
            fatalError(f);
            return;
        }
        maybeResumeProtocol();
        if (closing && bufferSize == 0) {
            scheduleLost(null);
        }
    }

    /**
     * The child exited, so the pipe's reading end is closed: what asyncio's write pipe learns from
     * its reader callback. Data still buffered can no longer be delivered: a broken pipe.
     */
    void peerClosed() {
        onProgress();
        if (lost) {
            return;
        }
        closeWith(bufferSize > 0 ? new IOException("Broken pipe: the child process exited") : null);
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /**
     * Closes the pipe once the buffered data is written (a pipe has no half-close, so this is
     * {@link #close()}); {@code connectionLost(null)} follows then.
     */
    @Override
    public void writeEof() {
        if (closing) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            closeRequested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        if (bufferSize == 0) {
            scheduleLost(null);
        }
    }

    @Override
    public void close() {
        if (!closing) {
            writeEof();
        }
    }

    @Override
    public void abort() {
        closeWith(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    private void fatalError(IOException exc) {
        LOG.log(System.Logger.Level.DEBUG, () -> this + ": Fatal write error on pipe transport", exc);
        closeWith(exc);
    }

    /** asyncio's {@code _close}: drop the buffer, stop the thread, schedule connectionLost once. */
    private void closeWith(Throwable exc) {
        if (lost) {
            return;
        }
        closing = true;
        bufferSize = 0;
        stopThread();
        scheduleLost(exc);
    }

    /** Schedules connectionLost; as in asyncio, the pipe itself is closed after it. */
    private void scheduleLost(Throwable exc) {
        lost = true;
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(exc);
            } finally {
                closeIfNoThread();
            }
        });
    }

    private void stopThread() {
        lock.lock();
        try {
            queue.clear();
            stopRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the stream unless a thread owns it (which closes it when it ends). */
    private void closeIfNoThread() {
        if (thread == null) {
            PipeThreads.closeQuietly(out);
        }
    }

    /** The loop is closing: stop at once, with no callbacks. */
    void abandon() {
        closing = true;
        lost = true;
        stopThread();
        closeIfNoThread();
    }

    // ---------------------------------------------------------------- flow control

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        flowControl.setLimits(high, low);
        maybePauseProtocol();
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return flowControl.limits();
    }

    private void maybePauseProtocol() {
        flowControl.maybePause(bufferSize, protocol);
    }

    private void maybeResumeProtocol() {
        flowControl.maybeResume(bufferSize, protocol);
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        String state = lost ? "closed" : closing ? "closing" : "open";
        return "PipeWriter[pid=" + pid + ", stdin, " + state + ", bufsize=" + bufferSize + "]";
    }

    /** Bytes waiting for the thread: {@code data[0, length)}. */
    private static final class Chunk {
        final byte[] data;
        int length;

        Chunk(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }
    }
}
