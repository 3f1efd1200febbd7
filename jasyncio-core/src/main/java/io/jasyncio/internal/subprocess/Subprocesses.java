package io.jasyncio.internal.subprocess;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.subprocess.Stdio;
import io.jasyncio.subprocess.Subprocess;
import io.jasyncio.subprocess.SubprocessConnection;
import io.jasyncio.subprocess.SubprocessOptions;
import io.jasyncio.subprocess.SubprocessProtocol;
import io.jasyncio.subprocess.SubprocessStreamProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's subprocess functions: {@code loop.subprocess_exec}/{@code subprocess_shell} (a
 * transport and a protocol) and {@code create_subprocess_exec}/{@code create_subprocess_shell}
 * (a {@link Subprocess} with streams).
 */
public final class Subprocesses {
    /** The shell of {@code subprocessShell}, as Python's {@code shell=True} on POSIX. */
    private static final String SHELL = "/bin/sh";

    private Subprocesses() {
    }

    /** asyncio's {@code create_subprocess_exec(program, *args, ...)}. */
    public static Subprocess createExec(List<String> args, SubprocessOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        Objects.requireNonNull(options, "options");
        SubprocessConnection<SubprocessStreamProtocol> c = loop.subprocessExec(
                () -> new SubprocessStreamProtocol(options.limit(), loop), args, options);
        return new Subprocess(c.transport(), c.protocol(), loop);
    }

    /** asyncio's {@code create_subprocess_shell(cmd, ...)}. */
    public static Subprocess createShell(String cmd, SubprocessOptions options) throws IOException {
        EventLoop loop = EventLoop.running();
        Objects.requireNonNull(options, "options");
        SubprocessConnection<SubprocessStreamProtocol> c = loop.subprocessShell(
                () -> new SubprocessStreamProtocol(options.limit(), loop), cmd, options);
        return new Subprocess(c.transport(), c.protocol(), loop);
    }

    /** asyncio's {@code loop.subprocess_exec(protocol_factory, program, *args, ...)}. */
    public static <P extends SubprocessProtocol> SubprocessConnection<P> exec(EventLoop loop, ProcessRegistry registry,
            Supplier<? extends P> protocolFactory, List<String> args, SubprocessOptions options) throws IOException {
        Objects.requireNonNull(args, "args");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("args must name the program to run: " + args);
        }
        List<String> command = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            command.add(Objects.requireNonNull(args.get(i), "args[" + i + "]"));
        }
        return start(loop, registry, protocolFactory, command, options);
    }

    /** asyncio's {@code loop.subprocess_shell(protocol_factory, cmd, ...)}: {@code /bin/sh -c cmd}. */
    public static <P extends SubprocessProtocol> SubprocessConnection<P> shell(EventLoop loop, ProcessRegistry registry,
            Supplier<? extends P> protocolFactory, String cmd, SubprocessOptions options) throws IOException {
        Objects.requireNonNull(cmd, "cmd");
        return start(loop, registry, protocolFactory, List.of(SHELL, "-c", cmd), options);
    }

    /**
     * Starts the child on the loop's thread (as asyncio does), then suspends until the protocol's
     * {@code connectionMade} has run. Cancelled meanwhile, it kills the child and waits for its
     * exit before the cancellation goes on (asyncio's {@code _make_subprocess_transport}).
     */
    private static <P extends SubprocessProtocol> SubprocessConnection<P> start(EventLoop loop,
            ProcessRegistry registry, Supplier<? extends P> protocolFactory, List<String> command,
            SubprocessOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (EventLoop.running() != loop || Asyncio.currentTask(loop) == null) {
            throw new IllegalStateException("starting a subprocess suspends: call it from a task of " + loop);
        }
        ProcessBuilder builder = builder(command, options);
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        Process process = builder.start();
        ProcessTransport transport;
        try {
            transport = new ProcessTransport(loop, registry, protocol, process, options);
        } catch (RuntimeException | Error e) {
            // No thread could be started for a pipe: do not leave the child behind.
            process.toHandle().destroyForcibly();
            throw e;
        }
        Future<Void> connected = loop.createFuture();
        transport.connect(connected);
        try {
            connected.await();
        } catch (CancelledError e) {
            transport.close();
            transport.awaitExit();
            throw e;
        }
        return new SubprocessConnection<>(transport, protocol);
    }

    private static ProcessBuilder builder(List<String> command, SubprocessOptions options) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (options.cwd() != null) {
            pb.directory(options.cwd().toFile());
        }
        Map<String, String> env = options.env();
        if (env != null) {
            Map<String, String> childEnv = pb.environment();
            childEnv.clear();
            childEnv.putAll(env);
        }
        redirect("stdin", options.stdin(), () -> pb.redirectInput(options.stdin().toRedirect(true)));
        redirect("stdout", options.stdout(), () -> pb.redirectOutput(options.stdout().toRedirect(false)));
        if (options.stderr().isStdout()) {
            pb.redirectErrorStream(true);
        } else {
            redirect("stderr", options.stderr(), () -> pb.redirectError(options.stderr().toRedirect(false)));
        }
        return pb;
    }

    /** Applies a redirect, naming the stream if {@link ProcessBuilder} refuses it. */
    private static void redirect(String stream, Stdio stdio, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stream + " cannot be " + stdio + ": " + e.getMessage(), e);
        }
    }
}
