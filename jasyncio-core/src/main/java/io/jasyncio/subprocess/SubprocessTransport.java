package io.jasyncio.subprocess;

import io.jasyncio.net.BaseTransport;

/**
 * A running child process and the pipes to its standard streams: asyncio's
 * {@code SubprocessTransport}. Made by {@link io.jasyncio.EventLoop#subprocessExec} and
 * {@link io.jasyncio.EventLoop#subprocessShell}; used on the loop's thread only. None of these
 * methods suspends.
 *
 * <p>{@link #getExtraInfo(String) getExtraInfo("subprocess")} is the {@link java.lang.Process}
 * (asyncio gives its {@code Popen}); its streams belong to the transport and must not be used.
 */
public interface SubprocessTransport extends BaseTransport {

    /** The child's process id. */
    long getPid();

    /**
     * The child's return code: null while it runs, its exit status once it exited, or
     * {@code -n} if it was killed by signal {@code n} (see the class documentation of
     * {@link Subprocess} for how a death by signal is recognised).
     */
    Integer getReturncode();

    /**
     * The transport of the pipe to the child's stream {@code fd}: a
     * {@link io.jasyncio.net.WriteTransport} for stdin (0), a {@link io.jasyncio.net.ReadTransport}
     * for stdout (1) and stderr (2); null if that stream is not a {@link Stdio#PIPE}.
     */
    BaseTransport getPipeTransport(int fd);

    /**
     * Sends signal {@code sig} (its POSIX number, e.g. 10 for SIGUSR1 on Linux) to the child:
     * asyncio's {@code send_signal}. Does nothing if the child has already exited; 0 sends
     * nothing. SIGTERM and SIGKILL are sent directly; other signals by running {@code kill},
     * which blocks the loop thread for about a millisecond.
     *
     * @throws IllegalArgumentException if {@code sig} is negative or not a signal of this system
     * @throws IllegalStateException if the transport has finished (its {@code connectionLost} ran:
     *     asyncio's ProcessLookupError)
     */
    void sendSignal(int sig);

    /**
     * As {@link #sendSignal(int)} for a signal given by name: {@code "USR1"}, {@code "SIGUSR1"}
     * or {@code "sigusr1"}.
     *
     * @throws IllegalArgumentException if this system has no such signal
     */
    void sendSignal(String sig);

    /** Sends SIGTERM: asyncio's {@code terminate()}. As {@link #sendSignal(int)}. */
    void terminate();

    /** Sends SIGKILL: asyncio's {@code kill()}. As {@link #sendSignal(int)}. */
    void kill();

    /**
     * Closes the pipes (stdin after its buffered data is written) and kills the child with SIGKILL
     * if it is still running, as asyncio does. The protocol's {@code connectionLost} follows once
     * the child has exited and the pipes are closed. Does nothing if already closed.
     */
    @Override
    void close();
}
