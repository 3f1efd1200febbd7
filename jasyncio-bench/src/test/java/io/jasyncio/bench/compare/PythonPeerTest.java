package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio_peer.py speaks the protocol the comparison expects (skipped where there is no Python). */
class PythonPeerTest {
    private static final Path SCRIPT = Path.of("src", "main", "python", "asyncio_peer.py");

    private static String python() {
        Environment env = Environment.detect(null, SCRIPT);
        assumeTrue(!env.missing.containsKey(Contender.ASYNCIO), "no Python: " + env.missing.get(Contender.ASYNCIO));
        return env.python;
    }

    @Test
    void microPrintsOneRepLinePerRepetitionInWholeRounds() throws Exception {
        List<String> command = List.of(python(), SCRIPT.toString(), "--loop", "asyncio", "micro", "lock", "0", "0.01", "2");
        List<String> lines = new ArrayList<>();
        try (ChildProcess child = ChildProcess.start(command, Path.of("target", "python-peer-test.err"))) {
            String line;
            while ((line = child.nextLine(Duration.ofSeconds(30))) != null) {
                lines.add(line);
            }
            assertEquals(0, child.waitFor(Duration.ofSeconds(10)), child.errorTail());
        }
        assertEquals(2, lines.size(), lines.toString());
        for (String l : lines) {
            String[] f = l.split(" ");
            assertEquals("rep", f[0]);
            assertEquals(0, Long.parseLong(f[1]) % Workload.LOCK_TASKS, l);
            assertTrue(Long.parseLong(f[2]) > 0, l);
            assertTrue(Long.parseLong(f[3]) > 0, "CPU time " + l);
        }
    }

    @Test
    void protocolServerEchoesForTheLoadGenerator() throws Exception {
        List<String> command = List.of(python(), SCRIPT.toString(), "--loop", "asyncio", "server", "protocol");
        try (ChildProcess server = ChildProcess.start(command, Path.of("target", "python-peer-test.err"))) {
            String first = server.nextLine(Duration.ofSeconds(30));
            assertTrue(first != null && first.startsWith("LISTENING "), first + " " + server.errorTail());
            int port = Integer.parseInt(first.substring(10));
            LoadGenerator generator = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), 64);
            List<String> windows;
            try {
                generator.openIdle(3);
                windows = generator.run(2, server.pid(), 20_000_000, 100_000_000, 1);
            } finally {
                generator.close();
            }
            assertEquals(1, windows.size());
            assertTrue(Long.parseLong(windows.getFirst().split(" ")[0]) > 0, windows.getFirst());
        }
    }
}
