package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.subprocess.ProcessOutput;
import io.jasyncio.subprocess.Stdio;
import io.jasyncio.subprocess.Subprocess;
import io.jasyncio.subprocess.SubprocessOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Tour sections for subprocesses and signals. */
public final class ProcessTour {
    private ProcessTour() {
    }

    public static List<Section> sections() {
        return List.of(
                new Section("subprocess cat", ProcessTour::catRoundTrip),
                new Section("communicate", ProcessTour::communicate),
                new Section("kill, returncode", ProcessTour::killed),
                new Section("signal handler", ProcessTour::signalHandler));
    }

    static String catRoundTrip() {
        return Asyncio.run(() -> {
            byte[] data = new byte[8 << 20];
            new Random(42).nextBytes(data);
            Subprocess cat = Asyncio.createSubprocessExec(List.of("cat"),
                    SubprocessOptions.DEFAULT.withStdin(Stdio.PIPE).withStdout(Stdio.PIPE));
            long t0 = System.nanoTime();
            Task<Void> writer = Asyncio.createTask(() -> {
                for (int off = 0; off < data.length; off += 64 << 10) {
                    cat.stdin().write(Arrays.copyOfRange(data, off, Math.min(data.length, off + (64 << 10))));
                    cat.stdin().drain();
                }
                cat.stdin().close();
            });
            byte[] back = cat.stdout().read();
            writer.await();
            int status = cat.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            check(status == 0, "cat exited with " + status);
            check(Arrays.equals(data, back), "cat returned " + back.length + " bytes that differ from the 8 MiB sent");
            return String.format("8 MiB through `cat` and back, every byte checked, %.0f MiB/s", 8 / seconds);
        });
    }

    static String communicate() {
        return Asyncio.run(() -> {
            Subprocess sh = Asyncio.createSubprocessShell("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; exit 7",
                    SubprocessOptions.DEFAULT.withStdout(Stdio.PIPE).withStderr(Stdio.PIPE));
            ProcessOutput out = sh.communicate();
            check(out.stdout().length == 3_000_000 && out.stderr().length == 2_000_000, "lost output");
            check(sh.returncode() == 7, "exit status " + sh.returncode());
            return "3 MB on stdout and 2 MB on stderr at once without deadlock; exit status " + sh.returncode();
        });
    }

    static String killed() {
        return Asyncio.run(() -> {
            Subprocess sleeper = Asyncio.createSubprocessExec("sleep", "60");
            Task<Integer> waiter = Asyncio.createTask(sleeper::await);
            Asyncio.sleep(0.05);
            waiter.cancel();
            try {
                waiter.await();
            } catch (CancelledError expected) {
                // asyncio semantics: cancelling wait() leaves the process running.
            }
            check(sleeper.returncode() == null, "the child died when its waiter was cancelled");
            sleeper.kill();
            int status = sleeper.await();
            check(status == -9, "returncode after kill() was " + status);
            return "a cancelled wait() left `sleep 60` running; kill() ended it, returncode " + status;
        });
    }

    static String signalHandler() {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Event received = new Event();
            List<String> seen = new ArrayList<>();
            loop.addSignalHandler("USR1", () -> {
                seen.add("SIGUSR1");
                received.set();
            });
            try {
                Asyncio.createSubprocessExec("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).await();
                Asyncio.timeout(10, () -> {
                    received.await();
                    return null;
                });
            } finally {
                loop.removeSignalHandler("USR1");
            }
            check(seen.equals(List.of("SIGUSR1")), "handler saw " + seen);
            return "`kill -USR1` sent to this JVM ran the loop's handler on the loop thread";
        });
    }
}
