package io.jasyncio.net;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers shared by the networking tests. */
final class NetTesting {
    private NetTesting() {
    }

    /** Runs {@code main} on a new real-clock loop whose unhandled errors are collected in {@code errors}. */
    static <T> T run(List<Map<String, Object>> errors, AsyncCallable<T> main) {
        return Asyncio.run(main, () -> {
            EventLoop loop = EventLoop.newEventLoop();
            loop.setExceptionHandler((l, context) -> errors.add(new HashMap<>(context)));
            return loop;
        }, null);
    }

    /** Runs {@code main} on a new real-clock loop; unhandled errors fail the caller's later assertions only if checked. */
    static <T> T run(AsyncCallable<T> main) {
        return run(new ArrayList<>(), main);
    }

    /** Runs {@code main} on a loop with a virtual clock. */
    static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** {@code s} in ASCII. */
    static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A protocol that writes back every chunk it receives (it records its other callbacks). */
    static RecordingProtocol echoProtocol() {
        return new RecordingProtocol() {
            @Override
            public void dataReceived(java.nio.ByteBuffer data) {
                transport.write(data);
            }
        };
    }

    /** A stream handler that echoes until end of stream, then closes its writer and waits for it. */
    static final ClientConnectedCallback ECHO = (reader, writer) -> {
        try {
            byte[] data;
            while ((data = reader.read(1024)).length > 0) {
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
            writer.waitClosed();
        }
    };

    /** The port a server listens on (its first socket). */
    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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

    /** What each open descriptor of this process points to, for failure messages. */
    static List<String> descriptorTargets() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    out.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    // The descriptor used to list the directory itself.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A deterministic byte pattern: byte {@code i} of a stream is {@code pattern(i)}. */
    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    /** {@code n} bytes of the pattern from stream offset {@code from}. */
    static byte[] patternBytes(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = pattern(from + i);
        }
        return b;
    }
}
