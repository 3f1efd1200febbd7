package io.jasyncio.internal.subprocess;

import io.jasyncio.Context;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.Protocol;
import io.jasyncio.subprocess.SubprocessOptions;
import io.jasyncio.subprocess.SubprocessProtocol;
import io.jasyncio.subprocess.SubprocessTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The transport of a child process: asyncio's {@code BaseSubprocessTransport} with
 * {@code _UnixSubprocessTransport}. It owns the {@link java.lang.Process}, the pipe transports
 * of its piped streams, and routes their events to the {@link SubprocessProtocol}. The exit is
 * learnt from {@link java.lang.Process#onExit()}, delivered to the loop through its inbox.
 *
 * <p>While the child runs, or a pipe may still deliver output, the transport counts as work done
 * for the loop on other threads, so a {@link io.jasyncio.VirtualClock} waits for it in real time
 * instead of jumping ahead.
 *
 * <p>Confined to the loop's thread, except for the exit notification.
 */
public final class ProcessTransport implements SubprocessTransport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final EventLoop loop;
    private final ProcessRegistry registry;
    private final Process process;
    private final long pid;
    private final Context context;
    private SubprocessProtocol protocol;
    private final PipeWriter stdin;
    private final PipeReader stdout;
    private final PipeReader stderr;
    private Integer returncode;
    private long lethalSignalsSent;
    /** Bit {@code fd} is set once that pipe's connectionLost has been scheduled. */
    private int lostPipes;
    private boolean closed;
    /** Set once connectionLost is scheduled. */
    private boolean finished;
    /** Set once connectionLost ran: asyncio's {@code _proc = None}; signals are refused. */
    private boolean gone;
    /** Set when the loop closed under the transport. */
    private boolean abandoned;
    private boolean countedAsWork;
    private final List<Future<Void>> exitWaiters = new ArrayList<>(1);

    ProcessTransport(EventLoop loop, ProcessRegistry registry, SubprocessProtocol protocol, Process process,
            SubprocessOptions options) {
        this.loop = loop;
        this.registry = registry;
        this.protocol = protocol;
        this.process = process;
        this.pid = process.pid();
        this.context = Context.copyCurrent();
        this.stdin = options.stdin().isPipe()
                ? new PipeWriter(loop, context, process.getOutputStream(), pid, new PipeProtocol(0)) : null;
        this.stdout = options.stdout().isPipe()
                ? new PipeReader(loop, context, process.getInputStream(), pid, "stdout", new PipeProtocol(1),
                        this::updateWork) : null;
        this.stderr = options.stderr().isPipe()
                ? new PipeReader(loop, context, process.getErrorStream(), pid, "stderr", new PipeProtocol(2),
                        this::updateWork) : null;
        if (stdout != null) {
            stdout.start();
        }
        if (stderr != null) {
            stderr.start();
        }
        registry.add(this);
        updateWork();
    }

    /**
     * Calls the protocol's {@code connectionMade} on the next iteration, then lets the pipes
     * deliver, starts watching for the exit, and completes {@code waiter} (unless it was
     * cancelled). No event reaches the protocol before {@code connectionMade}.
     */
    void connect(Future<Void> waiter) {
        SubprocessProtocol p = protocol;
        loop.callSoon(() -> p.connectionMade(this));
        loop.callSoon(() -> {
            if (stdout != null) {
                stdout.connect();
            }
            if (stderr != null) {
                stderr.connect();
            }
            process.onExit().whenComplete((proc, error) -> postExit());
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        });
    }

    /** From the JDK's exit notification thread. */
    private void postExit() {
        try {
            loop.callSoonThreadsafe(this::processExited, context);
        } catch (IllegalStateException loopClosed) {
            // Nobody is left to tell; abandon() already released the pipes.
        }
    }

    private void processExited() {
        if (returncode != null || abandoned) {
            return;
        }
        returncode = Signals.returncode(process.exitValue(), lethalSignalsSent);
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.INFO, "{0} exited with return code {1}", this, returncode);
        }
        // Called at once rather than scheduled (asyncio schedules it), so that the tasks it wakes
        // run before connectionLost, as after asyncio's gh-119710: they may still signal the
        // exited process without error.
        SubprocessProtocol p = protocol;
        try {
            p.processExited();
        } catch (RuntimeException e) {
            reportCallbackError(p, "processExited()", e);
        }
        for (Future<Void> w : exitWaiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
        exitWaiters.clear();
        if (stdin != null) {
            stdin.peerClosed();
        }
        tryFinish();
        updateWork();
    }

    /**
     * Suspends the current task until the child has exited (for {@code subprocessExec} when it is
     * cancelled after killing the child).
     */
    void awaitExit() {
        if (returncode != null) {
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

    private void pipeDataReceived(int fd, ByteBuffer data) {
        SubprocessProtocol p = protocol;
        try {
            p.pipeDataReceived(fd, data);
        } catch (RuntimeException e) {
            // asyncio delivers pipe data in a callback of its own: its failure is reported, and
            // the pipe goes on.
            reportCallbackError(p, "pipeDataReceived(" + fd + ")", e);
        }
    }

    private void reportCallbackError(SubprocessProtocol p, String callback, RuntimeException e) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("message", "Exception in callback " + p + "." + callback);
        ctx.put("exception", e);
        ctx.put("transport", this);
        ctx.put("protocol", p);
        loop.callExceptionHandler(ctx);
    }

    private void pipeConnectionLost(int fd, Throwable exc) {
        lostPipes |= 1 << fd;
        SubprocessProtocol p = protocol;
        loop.callSoon(() -> p.pipeConnectionLost(fd, exc));
        tryFinish();
        updateWork();
    }

    /** Schedules connectionLost once the child has exited and every pipe is closed. */
    private void tryFinish() {
        if (returncode == null || finished || abandoned) {
            return;
        }
        if ((stdin != null && (lostPipes & 1) == 0) || (stdout != null && (lostPipes & 2) == 0)
                || (stderr != null && (lostPipes & 4) == 0)) {
            return;
        }
        finished = true;
        loop.callSoon(this::callConnectionLost);
    }

    private void callConnectionLost() {
        try {
            protocol.connectionLost(null);
        } finally {
            gone = true;
            registry.remove(this);
            updateWork();
        }
    }

    /** Counts the transport as external work while the child runs or a pipe may still deliver output. */
    private void updateWork() {
        boolean busy = !gone && !abandoned && (returncode == null || (stdout != null && stdout.expectsData())
                || (stderr != null && stderr.expectsData()));
        if (busy != countedAsWork) {
            countedAsWork = busy;
            if (busy) {
                registry.workStarted();
            } else {
                registry.workDone();
            }
        }
    }

    // ---------------------------------------------------------------- SubprocessTransport

    @Override
    public long getPid() {
        return pid;
    }

    @Override
    public Integer getReturncode() {
        return returncode;
    }

    @Override
    public BaseTransport getPipeTransport(int fd) {
        return switch (fd) {
            case 0 -> stdin;
            case 1 -> stdout;
            case 2 -> stderr;
            default -> null;
        };
    }

    @Override
    public void sendSignal(int sig) {
        Signals.checkNumber(sig);
        if (gone) {
            throw new IllegalStateException("process " + pid + " is gone: its transport has finished");
        }
        if (returncode != null || sig == 0 || !process.isAlive()) {
            return;
        }
        if (Signals.wouldKill(pid, sig)) {
            lethalSignalsSent |= Signals.bit(sig);
        }
        Signals.send(process, sig);
    }

    @Override
    public void sendSignal(String sig) {
        sendSignal(Signals.numberOf(sig));
    }

    @Override
    public void terminate() {
        sendSignal(Signals.SIGTERM);
    }

    @Override
    public void kill() {
        sendSignal(Signals.SIGKILL);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stdin != null) {
            stdin.close();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
        if (returncode == null && !gone && process.isAlive()) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.WARNING, "Close running child process: kill {0}", this);
            }
            kill();
        }
    }

    /** The loop is closing with the child still known: kill it if it runs and release the pipes, without callbacks. */
    void abandon() {
        if (returncode == null && process.isAlive()) {
            lethalSignalsSent |= Signals.bit(Signals.SIGKILL);
            Signals.send(process, Signals.SIGKILL);
        }
        abandoned = true;
        closed = true;
        if (stdin != null) {
            stdin.abandon();
        }
        if (stdout != null) {
            stdout.abandon();
        }
        if (stderr != null) {
            stderr.abandon();
        }
        updateWork();
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    /** {@code "subprocess"} is the {@link java.lang.Process}. */
    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "subprocess".equals(name) ? process : defaultValue;
    }

    /** @throws IllegalArgumentException unless {@code protocol} is a {@link SubprocessProtocol} */
    @Override
    public void setProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!(protocol instanceof SubprocessProtocol p)) {
            throw new IllegalArgumentException("a subprocess transport needs a SubprocessProtocol: " + protocol);
        }
        this.protocol = p;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProcessTransport[pid=").append(pid);
        sb.append(returncode != null ? ", returncode=" + returncode : ", running");
        if (closed) {
            sb.append(", closed");
        }
        return sb.append(']').toString();
    }

    /** asyncio's {@code ReadSubprocessPipeProto}/{@code WriteSubprocessPipeProto}: routes a pipe's events here. */
    private final class PipeProtocol implements Protocol {
        private final int fd;

        PipeProtocol(int fd) {
            this.fd = fd;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            pipeDataReceived(fd, data);
        }

        @Override
        public void connectionLost(Throwable exc) {
            pipeConnectionLost(fd, exc);
        }

        @Override
        public void pauseWriting() {
            protocol.pauseWriting();
        }

        @Override
        public void resumeWriting() {
            protocol.resumeWriting();
        }

        @Override
        public String toString() {
            return "PipeProtocol[fd=" + fd + ", " + ProcessTransport.this + "]";
        }
    }
}
