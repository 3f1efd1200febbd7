package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.openDescriptors;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.internal.coro.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand concurrent connections to one stream server on one loop. The clients run in a
 * second process ({@link ManyClients}): both ends in one process would need twice the descriptors.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ManyConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    /** The soft limit on open files, from /proc/self/limits, or -1 if unknown. */
    private static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return -1;
    }

    @Test
    void tenThousandConcurrentConnectionsToOneServerOnOneLoop() throws Exception {
        long limit = openFileLimit();
        Assumptions.assumeTrue(limit >= CONNECTIONS + 1000,
                "the open-file limit (" + limit + ") is too low for " + CONNECTIONS
                        + " connections; a JVM cannot raise it (ulimit -n " + (CONNECTIONS + 1000) + " first)");
        // The JDK opens a socket of its own the first time a server socket is made: do that first.
        run(() -> {
            Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0).close();
            return null;
        });
        long before = openDescriptors();
        List<String> targetsBefore = NetTesting.descriptorTargets();
        int[] current = new int[1];
        int[] peak = new int[1];
        List<Throwable> failures = new ArrayList<>();
        String clientOutput = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                current[0]++;
                peak[0] = Math.max(peak[0], current[0]);
                try {
                    writer.write(reader.readline());
                    writer.drain();
                    reader.read();
                } catch (IOException e) {
                    failures.add(e);
                } finally {
                    current[0]--;
                    writer.close();
                }
            }, "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT.withBacklog(1024));
            Process client = startClients(port(server));
            client.getOutputStream().close();
            String output = Asyncio.toThread(() -> {
                // The client prints one short line, which the pipe holds until it exits.
                if (!client.waitFor(240, TimeUnit.SECONDS)) {
                    client.destroyForcibly().waitFor();
                }
                try (var stdout = client.getInputStream()) {
                    return new String(stdout.readAllBytes(), StandardCharsets.UTF_8).trim();
                }
            });
            server.close();
            server.waitClosed();
            return output;
        });
        assertEquals("ok " + CONNECTIONS, clientOutput, "every client got its echo");
        assertEquals(CONNECTIONS, peak[0], "every connection was open at once");
        assertEquals(List.of(), failures);
        assertEquals(before, openDescriptors(), () -> "no descriptor leaked: before " + targetsBefore
                + ", after " + NetTesting.descriptorTargets());
    }

    private static Process startClients(int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Backends.continuationsAvailable()) {
            command.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ManyClients.class.getName());
        command.add("127.0.0.1");
        command.add(String.valueOf(port));
        command.add(String.valueOf(CONNECTIONS));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
