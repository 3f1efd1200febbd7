package io.jasyncio.subprocess;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers shared by the subprocess tests. */
final class SubprocessTesting {
    private SubprocessTesting() {
    }

    /**
     * Runs {@code main} on a new virtual-clock loop, collecting its unhandled errors in
     * {@code errors}. While children run the clock follows real time, so a child is never cut
     * short by a jump; the time spent waiting for nothing but timers is skipped.
     */
    static <T> T run(List<Map<String, Object>> errors, AsyncCallable<T> main) {
        return Asyncio.run(main, () -> {
            EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
            loop.setExceptionHandler((l, context) -> errors.add(new HashMap<>(context)));
            return loop;
        }, null);
    }

    /** As {@link #run(List, AsyncCallable)}, ignoring unhandled errors. */
    static <T> T run(AsyncCallable<T> main) {
        return run(new ArrayList<>(), main);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Options with every stream a pipe. */
    static SubprocessOptions pipes() {
        return SubprocessOptions.PIPES;
    }

    /** The live threads that read or write child pipes. */
    static List<Thread> pipeThreads() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jasyncio-pipe-")) {
                found.add(t);
            }
        }
        return found;
    }

    /** Joins every pipe thread, failing if one is still alive after {@code seconds}. */
    static void joinPipeThreads(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Thread t : pipeThreads()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                throw new AssertionError("pipe thread still alive: " + t.getName());
            }
        }
    }

    /** The number of file descriptors this process has open. */
    static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (in real time, bounded) until the process {@code pid} is gone. */
    static void awaitGone(long pid) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** Whether the process {@code pid} is alive. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The command that runs {@code mainClass} (from the test class path) in a fresh, quick-starting JVM. */
    static List<String> javaCommand(Class<?> mainClass, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** A deterministic byte pattern: byte {@code i} of a stream is {@code pattern(i)}. */
    static byte[] patternBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 11));
        }
        return b;
    }
}
