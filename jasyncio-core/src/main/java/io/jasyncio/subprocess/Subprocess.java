package io.jasyncio.subprocess;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.util.Objects;

/**
 * A child process with streams to its pipes: asyncio's {@code asyncio.subprocess.Process}, as
 * returned by {@link io.jasyncio.Asyncio#createSubprocessExec} and
 * {@link io.jasyncio.Asyncio#createSubprocessShell}. (It is not called {@code Process} so that it
 * does not clash with {@link java.lang.Process}, which every Java file imports implicitly.)
 *
 * <p>The streams {@link #stdin()}, {@link #stdout()} and {@link #stderr()} exist for the
 * standard streams created as {@link Stdio#PIPE}, and are null otherwise. Pipes cannot be
 * selected with NIO, so each pipe is read or written by a helper thread that hands the data to
 * the loop; reading has the same backpressure as a socket (a reader holding more than twice its
 * limit stops the reading, and the child blocks when the pipe is full), and writing the same flow
 * control ({@code stdin().drain()} suspends while more than 64 KiB wait to be written).
 *
 * <p><b>Return codes.</b> {@link #returncode()} is null while the child runs, its exit status once
 * it exited, and {@code -n} if signal {@code n} killed it, as in asyncio. The JDK reports a death
 * by signal {@code n} as status {@code 128 + n}, like a shell, so jasyncio recognises one this
 * way: when it sends signal {@code n} itself ({@link #sendSignal}, {@link #terminate},
 * {@link #kill}, or closing the transport) to a child that neither catches nor ignores it (read
 * from {@code /proc/<pid>/status} on Linux) and the child then ends with status {@code 128 + n},
 * the return code is {@code -n}. A child that catches the signal and exits (a JVM exits with 143
 * on SIGTERM) keeps its status, as in asyncio; a child killed by a signal from elsewhere (another
 * process, the kernel) is reported as {@code 128 + n}.
 *
 * <p><b>Cancellation.</b> Cancelling a task waiting in {@link #await()} or {@link #communicate}
 * stops the wait only: the child keeps running, as in asyncio. Output that a cancelled
 * {@code communicate} had already read is lost.
 *
 * <p>Use a {@code Subprocess} on its loop's thread only.
 */
public final class Subprocess {
    private final SubprocessTransport transport;
    private final SubprocessStreamProtocol protocol;
    private final EventLoop loop;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final long pid;

    /**
     * A process over {@code transport}, whose protocol is {@code protocol} (connected already).
     *
     * @param loop the loop they run on
     */
    public Subprocess(SubprocessTransport transport, SubprocessStreamProtocol protocol, EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.stdin = protocol.stdin();
        this.stdout = protocol.stdout();
        this.stderr = protocol.stderr();
        this.pid = transport.getPid();
    }

    /** The writer of the child's stdin, or null unless stdin is a {@link Stdio#PIPE}. */
    public StreamWriter stdin() {
        return stdin;
    }

    /** The reader of the child's stdout, or null unless stdout is a {@link Stdio#PIPE}. */
    public StreamReader stdout() {
        return stdout;
    }

    /** The reader of the child's stderr, or null unless stderr is a {@link Stdio#PIPE}. */
    public StreamReader stderr() {
        return stderr;
    }

    /** The child's process id. */
    public long pid() {
        return pid;
    }

    /**
     * The child's return code: null while it runs, else its exit status, or {@code -n} when
     * signal {@code n} killed it (see the class documentation).
     */
    public Integer returncode() {
        return transport.getReturncode();
    }

    /**
     * Suspends the current task until the child exits and returns its return code: asyncio's
     * {@code wait()} (named after {@code Condition.await()}, since {@code Object.wait()} is final).
     * Returns as soon as the child has exited, even if a grandchild still holds its pipes open
     * (CPython gh-119710). Returns at once if it has already exited.
     *
     * <p>A child writing to a pipe nobody reads blocks when the pipe is full and never exits: read
     * its output, or use {@link #communicate}.
     *
     * @throws io.jasyncio.CancelledError if the task is cancelled while waiting; the child keeps running
     * @throws IllegalStateException if called outside a task of the process's loop
     */
    public int await() {
        Integer rc = transport.getReturncode();
        if (rc == null) {
            protocol.awaitExit();
            rc = transport.getReturncode();
        }
        return rc;
    }

    /** As {@link #communicate(byte[])} with nothing to send. */
    public ProcessOutput communicate() throws IOException {
        return communicate(null);
    }

    /**
     * Sends {@code input} to the child's stdin and closes it, reads its stdout and stderr to the
     * end, and waits for it to exit: asyncio's {@code communicate(input)}. The three run at once,
     * so a child that writes a lot while it reads cannot deadlock. If stdin is not a pipe,
     * {@code input} is ignored (as in asyncio); a child that stops reading its stdin early
     * (a broken pipe) is not an error. Suspends the task until all is done.
     *
     * @param input the bytes to send, or null to send nothing (stdin is still closed)
     * @return what the child wrote; a stream that is not a pipe reads as null
     * @throws IOException if reading stdout or stderr failed
     * @throws io.jasyncio.CancelledError if the task is cancelled; the reads stop, what they read
     *     is lost, and the child keeps running
     * @throws IllegalStateException if called outside a task of the process's loop
     */
    public ProcessOutput communicate(byte[] input) throws IOException {
        Task<byte[]> out = stdout != null ? loop.createTask(() -> readToEnd(1, stdout)) : null;
        Task<byte[]> err = stderr != null ? loop.createTask(() -> readToEnd(2, stderr)) : null;
        try {
            if (stdin != null) {
                feedStdin(input);
            }
            byte[] outData = out != null ? out.await() : null;
            byte[] errData = err != null ? err.await() : null;
            await();
            return new ProcessOutput(outData, errData);
        } finally {
            cancelIfPending(out);
            cancelIfPending(err);
        }
    }

    private void feedStdin(byte[] input) {
        if (input != null) {
            stdin.write(input);
        }
        try {
            stdin.drain();
        } catch (IOException brokenPipe) {
            // asyncio's communicate ignores BrokenPipeError and ConnectionResetError: the child
            // closed its stdin or exited, and what it wrote is still read.
        }
        stdin.close();
    }

    private byte[] readToEnd(int fd, StreamReader reader) throws IOException {
        byte[] data = reader.read();
        transport.getPipeTransport(fd).close();
        return data;
    }

    private static void cancelIfPending(Task<byte[]> t) {
        if (t != null && !t.done()) {
            t.cancel();
        }
    }

    /**
     * Sends signal {@code sig} to the child by number: asyncio's {@code send_signal}; see
     * {@link SubprocessTransport#sendSignal(int)}. Does nothing once the child has exited.
     *
     * @throws IllegalArgumentException if {@code sig} is not a signal of this system
     * @throws IllegalStateException if the process's transport has finished (asyncio's ProcessLookupError)
     */
    public void sendSignal(int sig) {
        transport.sendSignal(sig);
    }

    /** As {@link #sendSignal(int)} with the signal's name ({@code "USR1"}, {@code "SIGUSR1"}). */
    public void sendSignal(String sig) {
        transport.sendSignal(sig);
    }

    /** Sends SIGTERM: asyncio's {@code terminate()}; see {@link #sendSignal(int)}. */
    public void terminate() {
        transport.terminate();
    }

    /** Sends SIGKILL: asyncio's {@code kill()}; see {@link #sendSignal(int)}. */
    public void kill() {
        transport.kill();
    }

    @Override
    public String toString() {
        Integer rc = transport.getReturncode();
        return "Subprocess[pid=" + pid + (rc == null ? ", running" : ", returncode=" + rc) + "]";
    }
}
