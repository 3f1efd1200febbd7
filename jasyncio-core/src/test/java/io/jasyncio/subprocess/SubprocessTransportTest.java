package io.jasyncio.subprocess;

import static io.jasyncio.subprocess.SubprocessTesting.awaitGone;
import static io.jasyncio.subprocess.SubprocessTesting.b;
import static io.jasyncio.subprocess.SubprocessTesting.joinPipeThreads;
import static io.jasyncio.subprocess.SubprocessTesting.openDescriptors;
import static io.jasyncio.subprocess.SubprocessTesting.pipeThreads;
import static io.jasyncio.subprocess.SubprocessTesting.run;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.ReadTransport;
import io.jasyncio.net.WriteBufferLimits;
import io.jasyncio.net.WriteTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code EventLoop.subprocessExec/Shell}, {@link SubprocessTransport} and its pipe transports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubprocessTransportTest {
    private static final SubprocessOptions NO_STDIN = SubprocessOptions.PIPES.withStdin(Stdio.DEVNULL);

    private static SubprocessConnection<RecordingSubprocessProtocol> exec(SubprocessOptions options, String... args)
            throws java.io.IOException {
        return EventLoop.running().subprocessExec(RecordingSubprocessProtocol::new, List.of(args), options);
    }

    @Test
    void protocolEventsArriveInAsyncioOrder() {
        RecordingSubprocessProtocol p = run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = EventLoop.running().subprocessShell(
                    RecordingSubprocessProtocol::new, "echo out; echo err >&2; exit 2", NO_STDIN);
            assertEquals(List.of("connectionMade"), c.protocol().events, "connectionMade ran before the return");
            c.protocol().lost.await();
            assertEquals(2, c.transport().getReturncode());
            return c.protocol();
        });
        List<String> e = p.events;
        assertEquals("connectionMade", e.get(0));
        assertEquals("connectionLost", e.get(e.size() - 1));
        assertTrue(e.containsAll(List.of("data1", "data2", "pipeLost1", "pipeLost2", "exited")), e.toString());
        assertTrue(e.indexOf("data1") < e.indexOf("pipeLost1"), e.toString());
        assertTrue(e.indexOf("data2") < e.indexOf("pipeLost2"), e.toString());
        assertEquals("out\n", p.text(1));
        assertEquals("err\n", p.text(2));
    }

    @Test
    void getPipeTransportGivesEachPipesTransportAndNullForTheRest() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "cat");
            SubprocessTransport t = c.transport();
            assertInstanceOf(WriteTransport.class, t.getPipeTransport(0));
            assertInstanceOf(ReadTransport.class, t.getPipeTransport(1));
            assertInstanceOf(ReadTransport.class, t.getPipeTransport(2));
            assertNull(t.getPipeTransport(3));
            t.close();
            c.protocol().lost.await();

            SubprocessConnection<RecordingSubprocessProtocol> d = exec(
                    SubprocessOptions.DEFAULT.withStdin(Stdio.DEVNULL).withStdout(Stdio.PIPE), "true");
            assertNull(d.transport().getPipeTransport(0));
            assertNotNull(d.transport().getPipeTransport(1));
            assertNull(d.transport().getPipeTransport(2));
            d.protocol().lost.await();
            return null;
        });
    }

    @Test
    void pausedReadingHoldsTheChildAtAFullPipeUntilResumed() {
        int total = 4 << 20;
        RecordingSubprocessProtocol p = run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(NO_STDIN.withStderr(Stdio.DEVNULL),
                    "head", "-c", Integer.toString(total), "/dev/zero");
            ReadTransport stdout = (ReadTransport) c.transport().getPipeTransport(1);
            stdout.pauseReading();
            assertFalse(stdout.isReading());
            Asyncio.sleep(0.2);
            assertNull(c.transport().getReturncode(), "the child blocks on the full pipe");
            assertTrue(c.protocol().received[1].size() < total / 2, "read ahead is bounded: "
                    + c.protocol().received[1].size());
            stdout.resumeReading();
            assertTrue(stdout.isReading());
            c.protocol().lost.await();
            assertEquals(0, c.transport().getReturncode());
            return c.protocol();
        });
        assertEquals(total, p.received[1].size());
    }

    @Test
    void stdinFlowControlPausesAndResumesTheProtocol() {
        List<String> events = run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(
                    SubprocessOptions.PIPES.withStdout(Stdio.DEVNULL).withStderr(Stdio.DEVNULL), "cat");
            WriteTransport stdin = (WriteTransport) c.transport().getPipeTransport(0);
            assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), stdin.getWriteBufferLimits());
            stdin.write(new byte[1 << 20]);
            assertEquals(1 << 20, stdin.getWriteBufferSize(), "nothing is confirmed written yet");
            assertTrue(c.protocol().events.contains("pauseWriting"));
            c.protocol().resumed.await();
            assertTrue(stdin.getWriteBufferSize() <= 16 * 1024);
            assertTrue(stdin.canWriteEof());
            stdin.writeEof();
            c.protocol().lost.await();
            assertEquals(0, c.transport().getReturncode());
            return c.protocol().events;
        });
        assertTrue(events.indexOf("pauseWriting") < events.indexOf("resumeWriting"), events.toString());
        assertTrue(events.contains("pipeLost0"), events.toString());
    }

    @Test
    void writeBufferLimitsAreChecked() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "cat");
            WriteTransport stdin = (WriteTransport) c.transport().getPipeTransport(0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> stdin.setWriteBufferLimits(10, 20));
            assertTrue(e.getMessage().contains("high (10)"), e.getMessage());
            stdin.setWriteBufferLimits(null, 100);
            assertEquals(new WriteBufferLimits(100, 400), stdin.getWriteBufferLimits());
            c.transport().close();
            c.protocol().lost.await();
            return null;
        });
    }

    @Test
    void closeKillsARunningChildAndClosesEveryPipe() {
        RecordingSubprocessProtocol p = run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "cat");
            c.transport().close();
            assertTrue(c.transport().isClosing());
            c.transport().close();
            c.protocol().lost.await();
            assertEquals(-9, c.transport().getReturncode());
            return c.protocol();
        });
        assertTrue(p.events.containsAll(List.of("pipeLost0", "pipeLost1", "pipeLost2", "exited")), p.events.toString());
    }

    @Test
    void signalsAfterTheTransportFinishedFailLikeProcessLookupError() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES
                    .withStdin(Stdio.DEVNULL).withStdout(Stdio.DEVNULL).withStderr(Stdio.DEVNULL), "true");
            c.protocol().lost.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.transport().kill());
            assertTrue(e.getMessage().contains(Long.toString(c.transport().getPid())), e.getMessage());
            assertThrows(IllegalStateException.class, () -> c.transport().sendSignal("TERM"));
            return null;
        });
    }

    @Test
    void abortDropsWhatStdinHadNotWritten() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "sleep", "30");
            WriteTransport stdin = (WriteTransport) c.transport().getPipeTransport(0);
            stdin.write(new byte[1 << 20]);
            stdin.abort();
            assertEquals(0, stdin.getWriteBufferSize());
            assertTrue(stdin.isClosing());
            stdin.write(b("dropped"));
            assertEquals(0, stdin.getWriteBufferSize(), "writes after the close are dropped");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(c.protocol().events.contains("pipeLost0"), c.protocol().events.toString());
            c.transport().close();
            c.protocol().lost.await();
            assertEquals(-9, c.transport().getReturncode());
            return null;
        });
    }

    @Test
    void cancellingTheCreationKillsTheChildAndWaitsForIt() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            AtomicReference<Task<?>> creator = new AtomicReference<>();
            RecordingSubprocessProtocol[] made = new RecordingSubprocessProtocol[1];
            creator.set(loop.createTask(() -> loop.subprocessExec(() -> {
                RecordingSubprocessProtocol p = new RecordingSubprocessProtocol() {
                    @Override
                    public void connectionMade(io.jasyncio.net.BaseTransport transport) {
                        super.connectionMade(transport);
                        creator.get().cancel();
                    }
                };
                made[0] = p;
                return p;
            }, List.of("cat"), SubprocessOptions.PIPES)));
            assertThrows(CancelledError.class, creator.get()::await);
            assertEquals(-9, made[0].transport.getReturncode(), "killed and waited for before the cancellation");
            assertTrue(made[0].transport.isClosing());
            made[0].lost.await();
            return null;
        });
    }

    @Test
    void anExceptionInPipeDataReceivedIsReportedAndTheOutputGoesOn() {
        List<Map<String, Object>> errors = new ArrayList<>();
        String out = run(errors, () -> {
            EventLoop loop = EventLoop.running();
            Future<Void> firstSeen = loop.createFuture();
            SubprocessConnection<RecordingSubprocessProtocol> c = loop.subprocessShell(
                    () -> new RecordingSubprocessProtocol() {
                        @Override
                        public void pipeDataReceived(int fd, ByteBuffer data) {
                            if (!firstSeen.done()) {
                                firstSeen.setResult(null);
                                throw new IllegalStateException("boom");
                            }
                            super.pipeDataReceived(fd, data);
                        }
                    }, "echo first; read go; echo second", SubprocessOptions.PIPES);
            firstSeen.await();
            ((WriteTransport) c.transport().getPipeTransport(0)).write(b("go\n"));
            c.protocol().lost.await();
            assertEquals(0, c.transport().getReturncode());
            return c.protocol().text(1);
        });
        assertEquals("second\n", out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("boom", ((Throwable) errors.get(0).get("exception")).getMessage());
        assertTrue(((String) errors.get(0).get("message")).contains("pipeDataReceived(1)"));
    }

    @Test
    void setProtocolAcceptsOnlySubprocessProtocols() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "cat");
            SubprocessTransport t = c.transport();
            BaseProtocol plain = new BaseProtocol() {
            };
            assertThrows(IllegalArgumentException.class, () -> t.setProtocol(plain));
            assertThrows(IllegalArgumentException.class, () -> t.getPipeTransport(1).setProtocol(plain));
            RecordingSubprocessProtocol other = new RecordingSubprocessProtocol();
            t.setProtocol(other);
            assertSame(other, t.getProtocol());
            t.close();
            other.lost.await();
            return null;
        });
    }

    @Test
    void extraInfoSubprocessIsTheJavaProcess() {
        run(() -> {
            SubprocessConnection<RecordingSubprocessProtocol> c = exec(SubprocessOptions.PIPES, "cat");
            Process p = (Process) c.transport().getExtraInfo("subprocess");
            assertEquals(c.transport().getPid(), p.pid());
            assertNull(c.transport().getExtraInfo("nothing"));
            assertEquals("dflt", c.transport().getExtraInfo("nothing", "dflt"));
            c.transport().close();
            c.protocol().lost.await();
            return null;
        });
    }

    @Test
    void badArgumentsAreRejected() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.subprocessExec(RecordingSubprocessProtocol::new, List.of()));
            assertTrue(e.getMessage().contains("args"), e.getMessage());
            NullPointerException n = assertThrows(NullPointerException.class,
                    () -> loop.subprocessExec(RecordingSubprocessProtocol::new, java.util.Arrays.asList("echo", null)));
            assertTrue(n.getMessage().contains("args[1]"), n.getMessage());
            assertThrows(NullPointerException.class, () -> loop.subprocessShell(RecordingSubprocessProtocol::new, null));
            assertThrows(NullPointerException.class, () -> loop.subprocessShell(() -> null, "true"));
            return null;
        });
    }

    @Test
    void closingTheLoopWithRunningChildrenLeaksNoThreadsOrDescriptors() throws Exception {
        run(() -> Asyncio.createSubprocessExec(List.of("true"), SubprocessOptions.PIPES).communicate());
        joinPipeThreads(10);
        long fdsBefore = openDescriptors();
        List<Long> pids = run(() -> {
            List<Long> started = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Subprocess p = Asyncio.createSubprocessExec(List.of("cat"), SubprocessOptions.PIPES);
                p.stdin().write(b("line " + i + "\n"));
                started.add(p.pid());
            }
            Subprocess stuck = Asyncio.createSubprocessExec(List.of("sleep", "30"), SubprocessOptions.PIPES);
            stuck.stdin().write(new byte[1 << 20]);
            started.add(stuck.pid());
            Asyncio.sleep(0.05);
            assertFalse(pipeThreads().isEmpty());
            return started;
        });
        for (long pid : pids) {
            awaitGone(pid);
        }
        joinPipeThreads(10);
        assertEquals(List.of(), pipeThreads());
        assertEquals(fdsBefore, openDescriptors(), "every pipe was closed");
    }
}
