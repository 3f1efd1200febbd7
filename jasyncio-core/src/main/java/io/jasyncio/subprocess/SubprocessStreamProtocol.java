package io.jasyncio.subprocess;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.FlowControlProtocol;
import io.jasyncio.net.ReadTransport;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.net.WriteTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts a child process's transport to streams: asyncio's {@code SubprocessStreamProtocol}, the
 * protocol behind {@link Subprocess}. On {@code connectionMade} it makes a {@link StreamWriter}
 * for the stdin pipe and a {@link StreamReader} (with the given limit) for each of the stdout and
 * stderr pipes; it feeds the readers, ends them when their pipes close, and closes the transport
 * once the process has exited and both readers' pipes are closed.
 */
public class SubprocessStreamProtocol extends FlowControlProtocol implements SubprocessProtocol {
    private final int limit;
    private SubprocessTransport transport;
    private StreamWriter stdin;
    private StreamReader stdout;
    private StreamReader stderr;
    private final List<Integer> openReadPipes = new ArrayList<>(2);
    private boolean processExited;
    private final List<Future<Void>> exitWaiters = new ArrayList<>(1);
    private final Future<Void> stdinClosed;

    /**
     * A protocol whose readers have {@code limit}, on {@code loop} (null: the running loop).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public SubprocessStreamProtocol(int limit, EventLoop loop) {
        super(loop);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        this.stdinClosed = this.loop.createFuture();
    }

    /** Makes the streams of the transport's pipes. */
    @Override
    public void connectionMade(BaseTransport transport) {
        SubprocessTransport t = (SubprocessTransport) transport;
        this.transport = t;
        if (t.getPipeTransport(1) instanceof ReadTransport out) {
            stdout = new StreamReader(limit, loop);
            stdout.setTransport(out);
            openReadPipes.add(1);
        }
        if (t.getPipeTransport(2) instanceof ReadTransport err) {
            stderr = new StreamReader(limit, loop);
            stderr.setTransport(err);
            openReadPipes.add(2);
        }
        if (t.getPipeTransport(0) instanceof WriteTransport in) {
            stdin = new StreamWriter(in, this, null, loop);
        }
    }

    /** The writer of the child's stdin, or null if it is not a pipe. */
    public StreamWriter stdin() {
        return stdin;
    }

    /** The reader of the child's stdout, or null if it is not a pipe. */
    public StreamReader stdout() {
        return stdout;
    }

    /** The reader of the child's stderr, or null if it is not a pipe. */
    public StreamReader stderr() {
        return stderr;
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer data) {
        StreamReader reader = readerOf(fd);
        if (reader != null) {
            reader.feedData(data);
        }
    }

    /** Closes the stdin writer, or ends the reader of the pipe (with the error, if any). */
    @Override
    public void pipeConnectionLost(int fd, Throwable exc) {
        if (fd == 0) {
            if (stdin != null) {
                stdin.close();
            }
            connectionLost(exc);
            if (!stdinClosed.done()) {
                if (exc == null) {
                    stdinClosed.setResult(null);
                } else {
                    stdinClosed.setException(exc);
                    // Retrieved here: a broken stdin nobody waits for is not a lost error.
                    stdinClosed.exception();
                }
            }
            return;
        }
        StreamReader reader = readerOf(fd);
        if (reader != null) {
            if (exc == null) {
                reader.feedEof();
            } else {
                reader.setException(exc);
            }
        }
        openReadPipes.remove((Integer) fd);
        maybeCloseTransport();
    }

    /** Wakes the tasks waiting for the exit and closes the transport if the readers' pipes are closed. */
    @Override
    public void processExited() {
        processExited = true;
        for (Future<Void> w : exitWaiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
        exitWaiters.clear();
        maybeCloseTransport();
    }

    /**
     * Suspends the current task until {@link #processExited()} has run; returns at once if it
     * has. Cancelling the task only stops its wait.
     *
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting
     */
    public void awaitExit() {
        if (processExited) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        exitWaiters.add(waiter);
        try {
            waiter.await();
        } finally {
            exitWaiters.remove(waiter);
        }
    }

    private void maybeCloseTransport() {
        if (openReadPipes.isEmpty() && processExited && transport != null) {
            transport.close();
            transport = null;
        }
    }

    private StreamReader readerOf(int fd) {
        return fd == 1 ? stdout : fd == 2 ? stderr : null;
    }

    @Override
    protected Future<Void> getCloseWaiter(StreamWriter stream) {
        return stdinClosed;
    }

    @Override
    public String toString() {
        return "SubprocessStreamProtocol[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr + "]";
    }
}
