package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads from a stream connection, suspending the calling task until data arrives: asyncio's
 * {@code StreamReader}. A {@link StreamReaderProtocol} feeds it what the transport receives;
 * the read methods take from its buffer.
 *
 * <p><b>Limit and backpressure.</b> The limit (64 KiB by default) caps the line or chunk
 * {@link #readline()} and {@link #readuntil} will return, and sets the buffer's backpressure: when
 * more than twice the limit is buffered, the transport stops reading (the peer is slowed by the
 * full socket buffers); reading resumes when the buffer is back to the limit or below, or when a
 * read must wait for more data.
 *
 * <p><b>Concurrency.</b> One task reads at a time: a second read while one waits fails with
 * {@link IllegalStateException}.
 *
 * <p><b>Cancellation.</b> Cancelling a task waiting in a read loses nothing: the data arriving
 * later stays in the buffer for the next read.
 *
 * <p><b>Errors.</b> Once the connection failed, every read raises the connection's error (an
 * {@link IOException} as thrown by the socket, or whatever {@link #setException} was given; a
 * checked exception that is not an {@code IOException} arrives wrapped in one).
 *
 * <p>The reader is also an {@link Iterable} of lines, asyncio's {@code async for line in reader}:
 * {@code hasNext()} suspends to read the next line and is false at end of stream.
 */
public class StreamReader implements Iterable<byte[]> {
    /** The default limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 1 << 16;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    private final int limit;
    private final EventLoop loop;
    private byte[] buffer = EMPTY;
    private int start;
    private int end;
    private boolean eof;
    private Future<Void> waiter;
    private Throwable exception;
    private ReadTransport transport;
    private boolean paused;

    /**
     * A reader with the default limit, bound to the running loop (or the loop set for this thread).
     *
     * @throws IllegalStateException if there is no such loop
     */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A reader with {@code limit}, bound to the running loop (or the loop set for this thread).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if there is no such loop
     */
    public StreamReader(int limit) {
        this(limit, null);
    }

    /**
     * A reader with {@code limit}, bound to {@code loop} (null: the running loop, or the loop set
     * for this thread).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public StreamReader(int limit, EventLoop loop) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
        }
        this.limit = limit;
        this.loop = loop != null ? loop : Asyncio.getEventLoop();
    }

    /** The limit given at creation. */
    public int getLimit() {
        return limit;
    }

    /** The error the connection failed with, or null. */
    public Throwable exception() {
        return exception;
    }

    /** Records the connection's error: pending and later reads raise it. */
    public void setException(Throwable exc) {
        exception = Objects.requireNonNull(exc, "exc");
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setException(exc);
            }
        }
    }

    /**
     * Tells the reader which transport feeds it, so it can pause and resume its reading.
     *
     * @throws IllegalStateException if a transport is already set
     */
    public void setTransport(ReadTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Marks the end of the stream: reads return what is buffered, then end-of-file results. */
    public void feedEof() {
        eof = true;
        wakeUpWaiter();
    }

    /** Whether the stream ended and everything was read: {@link #feedEof()} was called and the buffer is empty. */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * Appends the bytes of {@code data} to the buffer, waking a waiting read.
     *
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /**
     * Appends the remaining bytes of {@code data} to the buffer, consuming them, and wakes a
     * waiting read. Pauses the transport when more than twice the limit is buffered.
     *
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feed_data after feed_eof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buffer, end, n);
        end += n;
        wakeUpWaiter();
        if (transport != null && !paused && end - start > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException cannotPause) {
                // The transport cannot be paused: buffer everything, and stop trying.
                transport = null;
            }
        }
    }

    private void ensureRoom(int n) {
        if (buffer.length - end >= n) {
            return;
        }
        int size = end - start;
        if ((long) size + n > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("StreamReader buffer would exceed 2 GiB");
        }
        if (size + n <= buffer.length && start >= size) {
            // Moving the live bytes down costs no more than the dead prefix they free.
            System.arraycopy(buffer, start, buffer, 0, size);
        } else {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(Math.max(16, 2L * buffer.length), (long) size + n));
            byte[] grown = new byte[capacity];
            System.arraycopy(buffer, start, grown, 0, size);
            buffer = grown;
        }
        start = 0;
        end = size;
    }

    private void wakeUpWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** Suspends until data or end of stream is fed; resumes a paused transport first, lest it deadlock. */
    private void waitForData(String funcName) {
        if (waiter != null) {
            throw new IllegalStateException(
                    funcName + "() called while another coroutine is already waiting for incoming data");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        try {
            w.await();
        } finally {
            waiter = null;
        }
    }

    /** Raises the connection's error, if any: the same object, a checked non-I/O one wrapped. */
    void throwIfFailed() throws IOException {
        Throwable e = exception;
        if (e == null) {
            return;
        }
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IOException(e);
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (buffer.length > Math.max(4L * limit, 1 << 20)) {
                // A burst grew the buffer; do not keep its memory for the rest of the connection.
                buffer = EMPTY;
            }
        }
        return out;
    }

    /**
     * Reads up to {@code n} bytes: asyncio's {@code read(n)}. With {@code n > 0}, returns as soon
     * as at least one byte is buffered, suspending the task until then; an empty array means end of
     * stream. With {@code n == 0}, returns an empty array at once. With {@code n < 0}, reads until
     * end of stream and returns everything. The result is not bounded by the limit.
     *
     * @throws IOException the connection's error, if it failed
     * @throws IllegalStateException if another task is waiting to read
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting (nothing is lost)
     */
    public byte[] read(int n) throws IOException {
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            return readToEof();
        }
        if (start == end && !eof) {
            waitForData("read");
        }
        byte[] data = take(Math.min(n, end - start));
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads until end of stream and returns everything: {@code read(-1)}. Suspends the task until
     * the end of the stream; see {@link #read(int)} for what it throws.
     */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /** Reads blocks of at most the limit until end of stream, so a paused transport is always resumed. */
    private byte[] readToEof() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            byte[] block = read(limit);
            if (block.length == 0) {
                return all.toByteArray();
            }
            all.write(block, 0, block.length);
        }
    }

    /**
     * Reads exactly {@code n} bytes, suspending the task until they arrived: asyncio's
     * {@code readexactly}. Not bounded by the limit.
     *
     * @throws IncompleteReadError if the stream ends first; it holds the bytes read, which are consumed
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IOException the connection's error, if it failed
     * @throws IllegalStateException if another task is waiting to read
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting (nothing is lost)
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero: " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        while (end - start < n) {
            if (eof) {
                throw new IncompleteReadError(take(end - start), n);
            }
            waitForData("readexactly");
        }
        byte[] data = take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads one line, up to and including {@code \n}: asyncio's {@code readline}. At end of stream
     * returns the incomplete last line, or an empty array when nothing is left.
     *
     * @throws IllegalArgumentException (asyncio's ValueError) if the line is longer than the limit;
     *     the line, if its end was found, or else the whole buffer, is discarded
     * @throws IOException the connection's error, if it failed
     * @throws IllegalStateException if another task is waiting to read
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting (nothing is lost)
     */
    public byte[] readline() throws IOException {
        try {
            return readuntil(NEWLINE);
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            int at = start + e.consumed();
            if (at < end && buffer[at] == '\n') {
                start = at + 1;
            } else {
                start = end;
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
            maybeResumeTransport();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Reads up to and including a newline: {@code readuntil(b"\n")}. Suspends, and fails, as
     * {@link #readuntil(byte[]...)}.
     */
    public byte[] readuntil() throws IOException {
        return readuntil(NEWLINE);
    }

    /**
     * Reads until one of {@code separators} is found and returns the data up to and including it:
     * asyncio's {@code readuntil} (several separators: 3.13). With several, the shortest result
     * that ends with any separator wins. Suspends the task until a separator arrives.
     *
     * @throws LimitOverrunError if no separator is found within the limit, or the data before it is
     *     longer than the limit; the data stays in the buffer
     * @throws IncompleteReadError if the stream ends before a separator; it holds the buffered
     *     bytes, which are consumed
     * @throws IllegalArgumentException if no separator is given or one is empty
     * @throws IOException the connection's error, if it failed
     * @throws IllegalStateException if another task is waiting to read
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting (nothing is lost)
     */
    public byte[] readuntil(byte[]... separators) throws IOException {
        if (separators.length == 0) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        byte[][] seps = separators.clone();
        Arrays.sort(seps, Comparator.comparingInt(s -> s.length));
        int minLen = seps[0].length;
        int maxLen = seps[seps.length - 1].length;
        if (minLen == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        throwIfFailed();
        // offset: how many leading bytes of the buffer are known to hold no separator.
        int offset = 0;
        int matchStart;
        int matchEnd;
        while (true) {
            int buflen = end - start;
            matchStart = -1;
            matchEnd = -1;
            if (buflen - offset >= minLen) {
                for (byte[] sep : seps) {
                    int at = indexOf(sep, offset);
                    if (at >= 0 && (matchEnd < 0 || at + sep.length < matchEnd)) {
                        matchStart = at;
                        matchEnd = at + sep.length;
                    }
                }
                if (matchEnd >= 0) {
                    break;
                }
                offset = Math.max(0, buflen + 1 - maxLen);
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            // A complete separator may have arrived with the end of the stream, so EOF is checked after the search.
            if (eof) {
                throw new IncompleteReadError(take(end - start), -1);
            }
            waitForData("readuntil");
        }
        if (matchStart > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
        }
        byte[] chunk = take(matchEnd);
        maybeResumeTransport();
        return chunk;
    }

    /** The index, relative to the buffered data, of {@code sep} at or after {@code from}, or -1. */
    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        outer:
        for (int i = start + from; i <= last; i++) {
            if (buffer[i] != first) {
                continue;
            }
            for (int k = 1; k < sep.length; k++) {
                if (buffer[i + k] != sep[k]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /**
     * The lines of the stream, as {@link #readline()} returns them, until end of stream. The
     * iterator's {@code hasNext()} suspends the task; a read error arrives as an
     * {@link UncheckedIOException} (or unchanged, if unchecked).
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readline();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[");
        sb.append(end - start).append(" bytes");
        if (eof) {
            sb.append(", eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(", limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(", waiter=").append(waiter);
        }
        if (exception != null) {
            sb.append(", exception=").append(exception);
        }
        if (transport != null) {
            sb.append(", transport=").append(transport);
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
