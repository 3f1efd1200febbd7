package io.jasyncio.subprocess;

import static io.jasyncio.subprocess.SubprocessTesting.alive;
import static io.jasyncio.subprocess.SubprocessTesting.b;
import static io.jasyncio.subprocess.SubprocessTesting.javaCommand;
import static io.jasyncio.subprocess.SubprocessTesting.joinPipeThreads;
import static io.jasyncio.subprocess.SubprocessTesting.patternBytes;
import static io.jasyncio.subprocess.SubprocessTesting.run;
import static io.jasyncio.subprocess.SubprocessTesting.s;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Subprocess} and {@code Asyncio.createSubprocessExec/Shell}, with real child processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubprocessTest {
    private static final int MIB = 1 << 20;
    private static final SubprocessOptions OUT_AND_ERR = SubprocessOptions.DEFAULT.withStdin(Stdio.DEVNULL)
            .withStdout(Stdio.PIPE).withStderr(Stdio.PIPE);
    private static final SubprocessOptions IN_ONLY = SubprocessOptions.DEFAULT.withStdin(Stdio.PIPE)
            .withStdout(Stdio.DEVNULL);

    private static boolean linux() {
        return System.getProperty("os.name", "").equals("Linux");
    }

    private static Subprocess sh(String script, SubprocessOptions options) throws IOException {
        return Asyncio.createSubprocessExec(List.of("sh", "-c", script), options);
    }

    // ---------------------------------------------------------------- output, input, exit

    @Test
    void communicateReadsStdoutAndStderrSeparatelyAndWaitsForTheExit() {
        Object[] r = run(() -> {
            Subprocess p = sh("echo out; echo err >&2; exit 3", OUT_AND_ERR);
            ProcessOutput out = p.communicate();
            return new Object[] {s(out.stdout()), s(out.stderr()), p.returncode()};
        });
        assertEquals("out\n", r[0]);
        assertEquals("err\n", r[1]);
        assertEquals(3, r[2]);
    }

    @Test
    void lsLaWithCommunicateListsTheWorkingDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("marker.txt"), "x");
        ProcessOutput out = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("ls", "-la"), OUT_AND_ERR.withCwd(dir));
            ProcessOutput o = p.communicate();
            assertEquals(0, p.returncode());
            return o;
        });
        assertTrue(s(out.stdout()).contains("marker.txt"), s(out.stdout()));
        assertEquals("", s(out.stderr()));
    }

    @Test
    void shellFormRunsTheCommandThroughBinSh() {
        String out = run(() -> {
            Subprocess p = Asyncio.createSubprocessShell("echo $((6 * 7)) | tr 2 X",
                    SubprocessOptions.DEFAULT.withStdout(Stdio.PIPE));
            return s(p.communicate().stdout());
        });
        assertEquals("4X\n", out);
    }

    @Test
    void interactiveCatEchoesWhatIsWrittenToItsStdin() {
        Object[] r = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"),
                    SubprocessOptions.DEFAULT.withStdin(Stdio.PIPE).withStdout(Stdio.PIPE));
            p.stdin().write(b("Hello\n"));
            p.stdin().drain();
            p.stdin().close();
            byte[] output = p.stdout().read();
            return new Object[] {s(output), p.await()};
        });
        assertEquals("Hello\n", r[0]);
        assertEquals(0, r[1]);
    }

    @Test
    void multiMebibyteRoundTripThroughCatIsByteExact() {
        byte[] data = patternBytes(8 * MIB + 12345);
        byte[] echoed = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), SubprocessOptions.PIPES);
            Task<Void> writer = Asyncio.createTask(() -> {
                for (int off = 0; off < data.length; off += 100_000) {
                    p.stdin().write(data, off, Math.min(100_000, data.length - off));
                    p.stdin().drain();
                }
                p.stdin().close();
            });
            byte[] out = p.stdout().read();
            writer.await();
            assertEquals(0, p.await());
            return out;
        });
        assertEquals(data.length, echoed.length);
        assertArrayEquals(data, echoed);
    }

    @Test
    void communicateMovesTenMebibytesInEachDirectionAtOnce() {
        byte[] input = patternBytes(10 * MIB);
        ProcessOutput out = run(() -> {
            Subprocess p = sh("yes err | head -c 10485760 >&2 & cat; wait", SubprocessOptions.PIPES);
            ProcessOutput o = p.communicate(input);
            assertEquals(0, p.returncode());
            return o;
        });
        assertArrayEquals(input, out.stdout());
        assertEquals(10 * MIB, out.stderr().length);
        assertEquals("err\nerr\n", s(Arrays.copyOfRange(out.stderr(), 0, 8)));
    }

    @Test
    void communicateReadsTenMebibytesFromStdoutAndStderrAtOnce() {
        ProcessOutput out = run(() -> sh("yes out | head -c 10485760 & yes err | head -c 10485760 >&2; wait",
                OUT_AND_ERR).communicate());
        assertEquals(10 * MIB, out.stdout().length);
        assertEquals(10 * MIB, out.stderr().length);
        assertTrue(s(out.stdout()).startsWith("out\nout\n"));
        assertTrue(s(out.stderr()).startsWith("err\nerr\n"));
    }

    @Test
    void communicateIgnoresAChildThatStopsReadingItsStdin() {
        Object[] r = run(() -> {
            Subprocess p = sh("head -c 3", SubprocessOptions.PIPES);
            ProcessOutput o = p.communicate(patternBytes(4 * MIB));
            return new Object[] {o.stdout().length, p.returncode()};
        });
        assertEquals(3, r[0]);
        assertEquals(0, r[1]);
    }

    @Test
    void communicateWithEmptyInputClosesStdin() {
        String out = run(() -> s(sh("wc -c", SubprocessOptions.PIPES).communicate(new byte[0]).stdout()));
        assertEquals("0", out.trim());
    }

    @Test
    void drainToAChildThatExitedRaisesIOException() {
        run(() -> {
            Subprocess p = sh("exit 0", SubprocessOptions.PIPES.withStdout(Stdio.DEVNULL).withStderr(Stdio.DEVNULL));
            assertEquals(0, p.await());
            Asyncio.sleep(0.1);
            p.stdin().write(new byte[MIB]);
            assertThrows(IOException.class, p.stdin()::drain);
            return null;
        });
    }

    @Test
    void outputIsReadToTheEndAfterTheChildExited() {
        Object[] r = run(() -> {
            Subprocess p = sh("head -c 262144 /dev/zero; exit 1", OUT_AND_ERR);
            long total = 0;
            while (true) {
                byte[] data = p.stdout().read(65536);
                if (data.length == 0) {
                    break;
                }
                total += data.length;
                Asyncio.sleep(0.02);
            }
            return new Object[] {total, p.await()};
        });
        assertEquals(262144L, r[0]);
        assertEquals(1, r[1]);
    }

    @Test
    void aReaderOverItsLimitPausesItsPipeUntilItIsRead() {
        byte[] out = run(() -> {
            EventLoop loop = EventLoop.running();
            SubprocessConnection<SubprocessStreamProtocol> c = loop.subprocessExec(
                    () -> new SubprocessStreamProtocol(10, loop), List.of("head", "-c", "1000", "/dev/zero"),
                    SubprocessOptions.PIPES.withStdin(Stdio.DEVNULL));
            Subprocess p = new Subprocess(c.transport(), c.protocol(), loop);
            io.jasyncio.net.ReadTransport pipe = (io.jasyncio.net.ReadTransport) c.transport().getPipeTransport(1);
            assertEquals(1, p.stdout().read(1).length);
            assertFalse(pipe.isReading(), "more than twice the limit is buffered: the pipe is paused");
            byte[] rest = p.communicate().stdout();
            assertEquals(0, p.returncode());
            return rest;
        });
        assertEquals(999, out.length);
    }

    @Test
    void yesPipedToHeadEndsWithStatusZero() {
        String out = run(() -> {
            Subprocess p = Asyncio.createSubprocessShell("yes | head -n 3", OUT_AND_ERR);
            ProcessOutput o = p.communicate();
            assertEquals(0, p.returncode());
            return s(o.stdout());
        });
        assertEquals("y\ny\ny\n", out);
    }

    @Test
    void exitStatusesAreReturnedByAwait() {
        List<Integer> codes = run(() -> {
            List<Integer> rc = new ArrayList<>();
            for (int code : new int[] {0, 1, 42, 255}) {
                rc.add(Asyncio.createSubprocessExec("sh", "-c", "exit " + code).await());
            }
            return rc;
        });
        assertEquals(List.of(0, 1, 42, 255), codes);
    }

    @Test
    void returncodeIsNullWhileTheChildRuns() {
        run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            assertNull(p.returncode());
            assertTrue(alive(p.pid()));
            p.stdin().close();
            assertEquals(0, p.await());
            assertEquals(0, p.returncode());
            return null;
        });
    }

    @Test
    void pidIsTheChildsProcessId() {
        Object[] r = run(() -> {
            Subprocess p = sh("echo $$", OUT_AND_ERR);
            return new Object[] {p.pid(), s(p.communicate().stdout()).trim()};
        });
        assertEquals(Long.toString((Long) r[0]), r[1]);
    }

    @Test
    void aMissingProgramFailsWithIOException() {
        run(() -> {
            IOException e = assertThrows(IOException.class,
                    () -> Asyncio.createSubprocessExec(List.of("/nonexistent/program"), OUT_AND_ERR));
            assertTrue(e.getMessage().contains("/nonexistent/program"), e.getMessage());
            return null;
        });
    }

    @Test
    void startingAProcessOutsideATaskFails() {
        assertThrows(IllegalStateException.class, () -> Asyncio.createSubprocessExec("true"));
    }

    // ---------------------------------------------------------------- options

    @Test
    void stderrSentToStdoutArrivesOnTheStdoutReader() {
        ProcessOutput out = run(() -> {
            Subprocess p = sh("echo a; echo b >&2; echo c", OUT_AND_ERR.withStderr(Stdio.STDOUT));
            assertNull(p.stderr());
            return p.communicate();
        });
        assertEquals("a\nb\nc\n", s(out.stdout()));
        assertNull(out.stderr());
    }

    @Test
    void devnullStdinReadsEndOfFile() {
        ProcessOutput out = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), OUT_AND_ERR);
            assertNull(p.stdin());
            return p.communicate();
        });
        assertEquals(0, out.stdout().length);
    }

    @Test
    void stdoutRedirectedToAFileWritesThatFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.txt");
        run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("echo", "hi"),
                    SubprocessOptions.DEFAULT.withStdout(Stdio.of(Redirect.to(file.toFile()))));
            assertNull(p.stdout());
            assertEquals(0, p.await());
            return null;
        });
        assertEquals("hi\n", Files.readString(file));
    }

    @Test
    void envReplacesTheWholeEnvironment() {
        String out = run(() -> s(Asyncio.createSubprocessExec(List.of("/usr/bin/env"),
                OUT_AND_ERR.withEnv(Map.of("ONLY", "this"))).communicate().stdout()));
        assertEquals("ONLY=this\n", out);
    }

    @Test
    void cwdSetsTheWorkingDirectory(@TempDir Path dir) throws IOException {
        String out = run(() -> s(Asyncio.createSubprocessExec(List.of("pwd"), OUT_AND_ERR.withCwd(dir))
                .communicate().stdout()));
        assertEquals(dir.toRealPath().toString(), out.trim());
    }

    @Test
    void readersHaveTheLimitOfTheOptions() {
        run(() -> {
            Subprocess p = sh("echo 0123456789abcdef; echo ok", OUT_AND_ERR.withLimit(8));
            assertEquals(8, p.stdout().getLimit());
            assertThrows(IllegalArgumentException.class, () -> p.stdout().readline());
            assertEquals("ok\n", s(p.stdout().readline()));
            assertEquals(0, p.await());
            return null;
        });
    }

    @Test
    void aRedirectThatDoesNotSuitItsStreamIsRejectedNamingIt(@TempDir Path dir) {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.createSubprocessExec(List.of("true"),
                            SubprocessOptions.DEFAULT.withStdin(Stdio.of(Redirect.to(dir.resolve("x").toFile())))));
            assertTrue(e.getMessage().startsWith("stdin"), e.getMessage());
            return null;
        });
    }

    // ---------------------------------------------------------------- signals

    @Test
    void killReportsMinusNine() {
        Object[] r = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            p.kill();
            return new Object[] {p.await(), p.returncode()};
        });
        assertEquals(-9, r[0]);
        assertEquals(-9, r[1]);
    }

    @Test
    void terminateReportsMinusFifteen() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            p.terminate();
            return p.await();
        });
        assertEquals(-15, rc);
    }

    @Test
    void aSignalByNumberRunsTheChildsTrap() {
        assumeTrue(linux(), "SIGUSR1 is 10 on Linux");
        Object[] r = run(() -> {
            Subprocess p = sh("trap 'kill $s; echo got USR1; exit 7' USR1; sleep 30 & s=$!; echo ready; wait $s",
                    OUT_AND_ERR);
            assertEquals("ready\n", s(p.stdout().readline()));
            p.sendSignal(10);
            return new Object[] {s(p.stdout().readline()), p.await()};
        });
        assertEquals("got USR1\n", r[0]);
        assertEquals(7, r[1], "the trap exited: its status stands");
    }

    @Test
    void aSignalTheChildDoesNotCatchKillsItWithMinusItsNumber() {
        assumeTrue(linux(), "signal numbers of Linux");
        List<Integer> codes = run(() -> {
            List<Integer> rc = new ArrayList<>();
            for (String sig : new String[] {"SIGUSR1", "alrm", "Term", "VTALRM"}) {
                Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
                p.sendSignal(sig);
                rc.add(p.await());
            }
            return rc;
        });
        assertEquals(List.of(-10, -14, -15, -26), codes);
    }

    @Test
    void stoppedAndContinuedChildRunsOn() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), SubprocessOptions.PIPES);
            p.sendSignal("STOP");
            p.sendSignal("CONT");
            p.stdin().write(b("still here\n"));
            assertEquals("still here\n", s(p.stdout().readline()));
            p.stdin().close();
            return p.await();
        });
        assertEquals(0, rc);
    }

    @Test
    void signalsAfterTheExitAreIgnored() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec("sh", "-c", "exit 4");
            int first = p.await();
            p.kill();
            p.terminate();
            p.sendSignal("USR1");
            assertEquals(first, p.await());
            return p.returncode();
        });
        assertEquals(4, rc);
    }

    @Test
    void badSignalsAreRejectedNamingThem() {
        run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.sendSignal("NOPE"));
            assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> p.sendSignal(-1));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.sendSignal(65));
            p.sendSignal(0);
            assertNull(p.returncode(), "signal 0 sends nothing");
            p.stdin().close();
            assertEquals(0, p.await());
            return null;
        });
    }

    @Test
    void javaChildRoundTripsItsStreamsAndExitStatus() {
        ProcessOutput out = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(javaCommand(JavaChild.class, "upper"),
                    SubprocessOptions.PIPES);
            ProcessOutput o = p.communicate(b("hello, child"));
            assertEquals(5, p.returncode());
            return o;
        });
        assertEquals("HELLO, CHILD", s(out.stdout()));
        assertEquals("12", s(out.stderr()));
    }

    @Test
    void javaChildThatHandlesSigtermKeepsItsOwnExitStatus() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(javaCommand(JavaChild.class, "wait"), OUT_AND_ERR);
            assertEquals("ready\n", s(p.stdout().readline()));
            p.terminate();
            return p.await();
        });
        assertEquals(143, rc, "the JVM catches SIGTERM and exits with 128 + 15, as asyncio reports");
    }

    // ---------------------------------------------------------------- stdin that is never read

    @Test
    void aChildThatNeverReadsStdinSuspendsDrainButNotTheLoop() throws InterruptedException {
        Object[] r = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("sleep", "30"), IN_ONLY);
            StreamWriter stdin = p.stdin();
            long t0 = System.nanoTime();
            stdin.write(new byte[4 * MIB]);
            long writeNanos = System.nanoTime() - t0;
            Task<Void> drain = Asyncio.createTask(stdin::drain);
            int[] ticks = new int[1];
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    ticks[0]++;
                    Asyncio.sleep(0.001);
                }
            });
            Asyncio.sleep(0.1);
            assertFalse(drain.done(), "drain waits while the child does not read");
            assertTrue(ticks[0] > 1, "the loop kept running other tasks: " + ticks[0]);
            stdin.close();
            assertTrue(stdin.isClosing());
            p.kill();
            int rc = p.await();
            Throwable drained = assertThrows(Throwable.class, drain::await);
            ticker.cancel();
            return new Object[] {writeNanos, rc, drained};
        });
        assertTrue((Long) r[0] < TimeUnit.MILLISECONDS.toNanos(500), "write did not block: " + r[0]);
        assertEquals(-9, r[1]);
        assertInstanceOf(IOException.class, r[2]);
        joinPipeThreads(10);
    }

    // ---------------------------------------------------------------- many children

    @Test
    void twoHundredConcurrentShortLivedChildren() throws InterruptedException {
        List<String> outputs = run(() -> {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String word = "child-" + i;
                tasks.add(Asyncio.createTask(() -> {
                    Subprocess p = Asyncio.createSubprocessExec(List.of("echo", word), OUT_AND_ERR);
                    ProcessOutput o = p.communicate();
                    assertEquals(0, p.returncode());
                    return s(o.stdout());
                }));
            }
            List<String> result = new ArrayList<>();
            for (Task<String> t : tasks) {
                result.add(t.await());
            }
            return result;
        });
        for (int i = 0; i < 200; i++) {
            assertEquals("child-" + i + "\n", outputs.get(i));
        }
        joinPipeThreads(10);
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void cancellingATaskWaitingForTheExitLeavesTheChildRunning() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            Task<Integer> waiter = Asyncio.createTask(p::await);
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertNull(p.returncode());
            assertTrue(alive(p.pid()));
            p.stdin().close();
            return p.await();
        });
        assertEquals(0, rc);
    }

    @Test
    void cancellingCommunicateLeavesTheChildRunning() {
        int rc = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("sleep", "30"), OUT_AND_ERR);
            Task<ProcessOutput> talk = Asyncio.createTask(() -> p.communicate());
            Asyncio.sleep(0);
            talk.cancel();
            assertThrows(CancelledError.class, talk::await);
            assertNull(p.returncode());
            assertTrue(alive(p.pid()));
            p.kill();
            return p.await();
        });
        assertEquals(-9, rc);
    }

    // ---------------------------------------------------------------- exit versus pipes, and time

    @Test
    void awaitReturnsAtTheExitEvenWhileAGrandchildHoldsThePipe() throws Exception {
        run(() -> {
            Subprocess p = sh("sleep 30 & echo $!; read go", SubprocessOptions.PIPES);
            long grandchild = Long.parseLong(s(p.stdout().readline()).trim());
            p.stdin().write(b("go\n"));
            assertEquals(0, p.await());
            assertFalse(p.stdout().atEof(), "the grandchild still holds stdout");
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroy);
            assertEquals(0, p.stdout().read().length);
            return null;
        });
    }

    @Test
    void theVirtualClockFollowsRealTimeWhileAChildRuns() {
        double[] t = run(() -> {
            EventLoop loop = EventLoop.running();
            double t0 = loop.time();
            boolean[] fired = new boolean[1];
            loop.callLater(3600, () -> fired[0] = true);
            Subprocess p = Asyncio.createSubprocessExec("sleep", "0.2");
            assertEquals(0, p.await());
            assertFalse(fired[0], "the hour-long timer did not fire while the child ran");
            double afterChild = loop.time() - t0;
            Asyncio.sleep(3600);
            assertTrue(fired[0]);
            double afterSleep = loop.time() - t0;
            Subprocess piped = Asyncio.createSubprocessExec(List.of("echo", "piped"), OUT_AND_ERR);
            assertEquals("piped\n", s(piped.communicate().stdout()));
            Asyncio.sleep(3600);
            return new double[] {afterChild, afterSleep, loop.time() - t0};
        });
        assertTrue(t[0] >= 0.1 && t[0] < 60, "the clock followed the child in real time: " + t[0]);
        assertTrue(t[1] >= 3600, "then it jumped again: " + t[1]);
        assertTrue(t[2] >= 7200, "a child whose pipes are all read holds the clock no more: " + t[2]);
    }

    @Test
    void toStringShowsThePidAndState() {
        run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), IN_ONLY);
            assertEquals("Subprocess[pid=" + p.pid() + ", running]", p.toString());
            p.stdin().close();
            p.await();
            assertEquals("Subprocess[pid=" + p.pid() + ", returncode=0]", p.toString());
            return null;
        });
    }
}
