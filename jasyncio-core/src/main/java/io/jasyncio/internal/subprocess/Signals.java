package io.jasyncio.internal.subprocess;

import io.jasyncio.internal.signal.SignalRegistry;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sending signals to children, and telling a death by signal from an exit. The JDK can send only
 * SIGTERM and SIGKILL ({@link ProcessHandle#destroy()}, {@link ProcessHandle#destroyForcibly()});
 * any other signal is sent by running {@code kill}. The JDK reports a death by signal {@code n}
 * as exit status {@code 128 + n}; {@link #returncode} turns it into asyncio's {@code -n} when the
 * signal was one jasyncio sent and the child could not have caught it.
 */
final class Signals {
    /** The highest signal number accepted: SIGRTMAX on Linux. */
    static final int MAX_SIGNAL = 64;
    static final int SIGKILL = number("KILL");
    static final int SIGTERM = number("TERM");
    /** Signals whose default action leaves a process alive (ignore, stop or continue). */
    private static final long HARMLESS_BY_DEFAULT = maskOf("CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "WINCH", "INFO");
    private static final File DEV_NULL = new File("/dev/null");

    private Signals() {
    }

    /**
     * The number of the signal named {@code sig} ({@code "USR1"}, {@code "SIGUSR1"}, {@code "sigusr1"}).
     *
     * @throws IllegalArgumentException naming {@code sig} if this system has no such signal
     */
    static int numberOf(String sig) {
        return SignalRegistry.numberOf(SignalRegistry.canonicalName(sig));
    }

    /** @throws IllegalArgumentException unless {@code sig} is 0 or a possible signal number */
    static void checkNumber(int sig) {
        if (sig < 0 || sig > MAX_SIGNAL) {
            throw new IllegalArgumentException("sig must be a signal number from 0 to " + MAX_SIGNAL + ": " + sig);
        }
    }

    /**
     * Whether signal {@code sig} will kill the process {@code pid}: SIGKILL always does; another
     * signal does if its default action is to end the process and the process neither catches
     * nor ignores it, as {@code /proc/<pid>/status} says. Without {@code /proc}, the default
     * action decides.
     */
    static boolean wouldKill(long pid, int sig) {
        if (sig == SIGKILL) {
            return true;
        }
        if (sig == 0 || (HARMLESS_BY_DEFAULT & bit(sig)) != 0) {
            return false;
        }
        long handled = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:") || line.startsWith("SigCgt:")) {
                    handled |= Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException noProcInfo) {
            return true;
        }
        return (handled & bit(sig)) == 0;
    }

    /** The bit of signal {@code sig} in a mask of signals 1 to 64 (as in {@code /proc}). */
    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** asyncio's return code for exit status {@code status}, given the signals sent that would kill. */
    static int returncode(int status, long lethalSent) {
        int sig = status - 128;
        if (sig >= 1 && sig <= MAX_SIGNAL && (lethalSent & bit(sig)) != 0) {
            return -sig;
        }
        return status;
    }

    /**
     * Sends {@code sig} (1 to 64) to the running {@code process}. SIGTERM and SIGKILL go through the
     * process handle (which checks the process is the one started); others through {@code kill}.
     *
     * @throws IllegalArgumentException if {@code kill} refuses the signal while the process lives
     */
    static void send(Process process, int sig) {
        if (sig == SIGKILL) {
            process.toHandle().destroyForcibly();
        } else if (sig == SIGTERM) {
            process.toHandle().destroy();
        } else {
            runKill(process, sig);
        }
    }

    private static void runKill(Process process, int sig) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "kill -" + sig + " " + process.pid())
                .redirectInput(Redirect.from(DEV_NULL)).redirectOutput(Redirect.DISCARD);
        int status;
        String error;
        try {
            Process kill = pb.start();
            error = new String(kill.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            status = waitUninterruptibly(kill);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill to send signal " + sig + " to process " + process.pid(), e);
        }
        if (status != 0 && process.isAlive()) {
            throw new IllegalArgumentException("sig: cannot send signal " + sig + " to process " + process.pid()
                    + ": " + error);
        }
    }

    private static int waitUninterruptibly(Process p) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int number(String name) {
        return SignalRegistry.numberOf(name);
    }

    private static long maskOf(String... names) {
        long mask = 0;
        for (String name : names) {
            try {
                mask |= bit(SignalRegistry.numberOf(name));
            } catch (IllegalArgumentException notOnThisSystem) {
                // INFO exists on the BSDs only, for example.
            }
        }
        return mask;
    }
}
