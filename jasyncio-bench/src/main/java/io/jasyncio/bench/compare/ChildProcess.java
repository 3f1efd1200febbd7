package io.jasyncio.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process started by the comparison: its standard output is read line by line (with a
 * timeout), its standard error goes to a log file, and closing it stops it: first by closing its
 * standard input (how the servers are told to stop), then by signals.
 */
final class ChildProcess implements AutoCloseable {
    private static final String END = "\u0000end";
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread.ofPlatform().daemon().name("child-" + process.pid()).start(this::pumpOutput);
    }

    /** Starts {@code command}, with its standard error written to {@code log}. */
    static ChildProcess start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ChildProcess(p, log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * The next line the process prints, or null once its output has ended.
     *
     * @throws IOException if no line comes within {@code timeout}
     */
    String nextLine(Duration timeout) throws IOException {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IOException("no output within " + timeout.toSeconds() + " s");
            }
            if (line == END) { // identity: lines read from the process are never this instance
                lines.add(END);
                return null;
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for output", e);
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @return its exit status
     * @throws IOException if it is still running after {@code timeout}
     */
    int waitFor(Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("still running after " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for exit", e);
        }
    }

    /** The last lines of the process's standard error, for a failure message. */
    String errorTail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("WARNING:"))
                    .toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - 3), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process: closes its input, then terminates it if it has not exited in a few seconds. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void pumpOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process went away; END below tells the reader.
        } finally {
            lines.add(END);
        }
    }
}
