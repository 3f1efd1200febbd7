package io.jasyncio.internal.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.VirtualClock;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.TlsTesting;
import io.jasyncio.net.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the TLS layer keeps received ciphertext across the lower transport's reads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SslProtocolTest {

    /** Collects what it receives. */
    private static class Collecting implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.writeBytes(b);
        }
    }

    @Test
    void pausedReadingHoldsTheDataThenDeliversItTheEndAndTheLossInOrder() {
        List<String> events = new ArrayList<>();
        String received = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write("hello".getBytes(US_ASCII));
                reader.readexactly(5);
                writer.write("extra bytes".getBytes(US_ASCII));
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            Future<Throwable> lost = loop.createFuture();
            Collecting app = new Collecting() {
                private Transport transport;

                @Override
                public void connectionMade(BaseTransport t) {
                    transport = (Transport) t;
                    events.add("made");
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    events.add("data");
                    super.dataReceived(data);
                    if (received.size() == 5) {
                        transport.write("world".getBytes(US_ASCII));
                        transport.pauseReading();
                    }
                }

                @Override
                public boolean eofReceived() {
                    events.add("eof");
                    return false;
                }

                @Override
                public void connectionLost(Throwable exc) {
                    events.add("lost");
                    lost.setResult(exc);
                }
            };
            Connection<Collecting> c = loop.createConnection(() -> app, "127.0.0.1", port, TlsTesting.clientOptions());
            SslProtocol ssl = ((SslTransport) c.transport()).protocol();
            // The "extra bytes" record: a 5-byte header, 11 bytes, the content type and a 16-byte tag.
            while (ssl.bufferedCiphertext() < 33) {
                Asyncio.sleep(0);
            }
            assertFalse(c.transport().isReading());
            assertEquals("hello", app.received.toString(US_ASCII), "nothing is delivered while paused");
            c.transport().resumeReading();
            assertTrue(c.transport().isReading());
            assertNull(lost.await(), "the server's close_notify, answered: a clean close");
            server.close();
            return app.received.toString(US_ASCII);
        }, EventLoop::newEventLoop, null);
        assertEquals("helloextra bytes", received);
        assertEquals(List.of("made", "data", "data", "eof", "lost"), events);
    }

    @Test
    void aReadThatBringsNothingKeepsTheCiphertextAlreadyReceived() {
        assertArrayEquals(payload(), receiveAroundAnEmptyRead(false));
    }

    @Test
    void aReadThatBringsNothingWhileReadingIsPausedKeepsTheCiphertextIntact() {
        assertArrayEquals(payload(), receiveAroundAnEmptyRead(true));
    }

    private static byte[] payload() {
        byte[] payload = new byte[20 * 1024];
        Arrays.fill(payload, (byte) 'x');
        return payload;
    }

    /**
     * Holds a payload undecrypted while the application does not read, then makes the socket
     * transport attempt a read that finds nothing (the loop may report a socket readable when it
     * is not), while the application's reading is still paused or just after it resumed; returns
     * what the application then receives.
     */
    private static byte[] receiveAroundAnEmptyRead(boolean whilePaused) {
        byte[] payload = payload();
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> go = loop.createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                reader.readexactly(2);
                writer.write(payload);
                go.await();
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            Collecting app = new Collecting();
            Connection<Collecting> c = loop.createConnection(() -> app, "127.0.0.1", port, TlsTesting.clientOptions());
            SslProtocol ssl = ((SslTransport) c.transport()).protocol();
            SocketTransport raw = (SocketTransport) ssl.lowerTransport();
            // Hold the payload undecrypted: the application does not read.
            c.transport().pauseReading();
            c.transport().write("go".getBytes());
            while (ssl.bufferedCiphertext() < payload.length) {
                Asyncio.sleep(0);
            }
            if (whilePaused) {
                raw.readReady.run();
                c.transport().resumeReading();
            } else {
                c.transport().resumeReading();
                raw.readReady.run();
            }
            for (int i = 0; i < 100 && app.received.size() < payload.length; i++) {
                Asyncio.sleep(0);
            }
            go.setResult(null);
            c.transport().close();
            server.close();
            return app.received.toByteArray();
        }, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }
}
