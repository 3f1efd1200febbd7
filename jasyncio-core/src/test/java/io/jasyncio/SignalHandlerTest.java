package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.signal.SignalRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalHandlerTest {

    private static void kill(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kill -" + signal + " failed");
    }

    @Test
    void aSignalSentToTheJvmRunsTheHandlerOnTheLoopThread() {
        String seen = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> got = loop.createFuture();
            loop.addSignalHandler("SIGUSR1", () -> got.setResult(
                    Asyncio.getRunningLoop() == loop ? "on the loop thread" : "on " + Thread.currentThread()));
            Thread.ofPlatform().start(() -> {
                try {
                    kill("USR1", ProcessHandle.current().pid());
                } catch (Exception e) {
                    loop.callSoonThreadsafe(() -> got.setException(e));
                }
            });
            TimerHandle guard = loop.callLater(30, () -> got.cancel("no signal within 30 s"));
            try {
                return got.await();
            } finally {
                guard.cancel();
                assertTrue(loop.removeSignalHandler("USR1"));
            }
        });
        assertEquals("on the loop thread", seen);
    }

    @Test
    void removeSignalHandlerReportsWhetherThereWasOne() {
        TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertFalse(loop.removeSignalHandler("USR1"));
            loop.addSignalHandler(10, () -> { });
            assertTrue(SignalRegistry.isHandled("USR1"));
            assertTrue(loop.removeSignalHandler("sigusr1"));
            assertFalse(loop.removeSignalHandler(10));
            assertFalse(SignalRegistry.isHandled("USR1"));
            return null;
        });
    }

    @Test
    void closingTheLoopRemovesItsSignalHandlers() {
        EventLoop loop = TestLoops.virtualLoop();
        loop.addSignalHandler("USR1", () -> { });
        assertTrue(SignalRegistry.isHandled("USR1"));
        loop.close();
        assertFalse(SignalRegistry.isHandled("USR1"));
    }

    @Test
    void anUnknownSignalIsRejectedNamingIt() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            IllegalArgumentException byName = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGNOPE", () -> { }));
            assertEquals("sig: unknown signal 'SIGNOPE'", byName.getMessage());
            IllegalArgumentException byNumber = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(999, () -> { }));
            assertEquals("sig: no signal numbered 999", byNumber.getMessage());
        }
    }

    @Test
    void signalsTheJvmReservesAreRejectedNamingThem() {
        try (EventLoop loop = TestLoops.virtualLoop()) {
            for (String sig : List.of("KILL", "STOP", "SEGV", "QUIT", "BUS")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(sig, () -> { }), sig);
                assertTrue(e.getMessage().contains("SIG" + sig), e.getMessage());
            }
        }
    }

    @Test
    void aClosedLoopRejectsSignalHandlers() {
        EventLoop loop = TestLoops.virtualLoop();
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.addSignalHandler("USR1", () -> { }));
    }

    @Test
    void ctrlCCancelsTheMainTaskSoItsCleanupRuns() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (Backends.continuationsAvailable()) {
            command.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        command.add("-D" + Backends.PROPERTY + "=" + Backends.selected().name());
        command.add(SigintChild.class.getName());
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            lines.add(line);
            assertEquals("ready", line, "child did not start");
            kill("INT", child.pid());
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertEquals(List.of("ready", "main task cancelled: cleanup ran", "Asyncio.run raised KeyboardInterrupt"), lines);
        assertEquals(130, child.exitValue());
    }
}
