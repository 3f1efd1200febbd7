package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop thread allocates nothing per read on the Protocol and BufferedProtocol paths: echo
 * thousands of small messages from a plain blocking client on another thread and count what the
 * loop thread allocated between the first and the last of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadPathAllocationTest {
    /** Reads before measuring, so the JIT has compiled (and escape-analysed) the path. */
    private static final int WARMUP = 15_000;
    private static final int MEASURED = 10_000;
    /**
     * One byte per read on average: room for a few incidental objects in the whole run, when the
     * smallest allocation per read (a 16-byte array, an iterator, a ByteBuffer view) would be 24
     * bytes or more.
     */
    private static final double MAX_BYTES_PER_READ = 1;

    /**
     * The current thread's allocated-bytes counter of HotSpot's {@code com.sun.management.ThreadMXBean},
     * reached by reflection because the core module does not read {@code java.management}; null if
     * this JVM has none.
     */
    private static AllocationCounter threads() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            if (!hotspot.isInstance(bean) || !(Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            hotspot.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            Method counter = hotspot.getMethod("getCurrentThreadAllocatedBytes");
            return () -> {
                try {
                    return (Long) counter.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface AllocationCounter {
        long getCurrentThreadAllocatedBytes();
    }

    /** Echoes, and samples the loop thread's allocation counter at the first and last measured read. */
    private static final class Meter {
        final AllocationCounter threads = threads();
        int reads;
        long from;
        long to;
        final Future<Void> done = new Future<>(EventLoop.running());

        void onRead() {
            reads++;
            if (reads == WARMUP) {
                from = threads.getCurrentThreadAllocatedBytes();
            } else if (reads == WARMUP + MEASURED) {
                to = threads.getCurrentThreadAllocatedBytes();
                done.setResult(null);
            }
        }

        double bytesPerRead() {
            return (double) (to - from) / MEASURED;
        }
    }

    /** A blocking client that sends 16 bytes and waits for them back, over and over. */
    private static Thread pingPong(int port, int rounds) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] msg = new byte[16];
                for (int i = 0; i < rounds; i++) {
                    out.write(msg);
                    in.readNBytes(msg, 0, 16);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aProtocolReadAllocatesNothing() {
        Assumptions.assumeTrue(threads() != null, "this JVM does not count allocated bytes per thread");
        double perRead = run(() -> {
            Meter meter = new Meter();
            Server server = Asyncio.getRunningLoop().createServer(() -> new Protocol() {
                private Transport transport;

                @Override
                public void connectionMade(BaseTransport t) {
                    transport = (Transport) t;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    meter.onRead();
                    transport.write(data);
                }
            }, "127.0.0.1", 0);
            Thread client = pingPong(port(server), WARMUP + MEASURED);
            meter.done.await();
            Asyncio.toThread(() -> {
                client.join();
                return null;
            });
            server.close();
            server.closeClients();
            return meter.bytesPerRead();
        });
        assertTrue(perRead <= MAX_BYTES_PER_READ, "the loop thread allocated " + perRead + " bytes per read");
    }

    @Test
    void aBufferedProtocolReadAllocatesNothing() {
        Assumptions.assumeTrue(threads() != null, "this JVM does not count allocated bytes per thread");
        double perRead = run(() -> {
            Meter meter = new Meter();
            Server server = Asyncio.getRunningLoop().createServer(() -> new BufferedProtocol() {
                private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
                private Transport transport;

                @Override
                public void connectionMade(BaseTransport t) {
                    transport = (Transport) t;
                }

                @Override
                public ByteBuffer getBuffer(int sizeHint) {
                    return buffer.clear();
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    meter.onRead();
                    transport.write(buffer.flip());
                }
            }, "127.0.0.1", 0);
            Thread client = pingPong(port(server), WARMUP + MEASURED);
            meter.done.await();
            Asyncio.toThread(() -> {
                client.join();
                return null;
            });
            server.close();
            server.closeClients();
            return meter.bytesPerRead();
        });
        assertTrue(perRead <= MAX_BYTES_PER_READ, "the loop thread allocated " + perRead + " bytes per read");
    }
}
