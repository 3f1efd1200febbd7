package io.jasyncio.internal.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.VirtualClock;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.BufferedProtocol;
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

    /**
     * A protocol taking what it is allowed to: it reads through a 1 KiB buffer and pauses its
     * transport once it has taken {@code allowance} bytes, so a test can consume the held data
     * a measured amount at a time.
     */
    private static final class Metered implements BufferedProtocol {
        final ByteBuffer buffer = ByteBuffer.allocate(1024);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Future<Throwable> lost;
        Transport transport;
        long allowance;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
            lost = new Future<>(EventLoop.running());
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            int room = (int) Math.min(buffer.capacity(), allowance - received.size());
            return buffer.clear().limit(room);
        }

        @Override
        public void bufferUpdated(int nbytes) {
            received.write(buffer.array(), 0, nbytes);
            if (received.size() == allowance) {
                transport.pauseReading();
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(exc);
        }

        /** Lets the protocol take {@code n} more bytes and waits until it took them (and paused again). */
        void take(int n) {
            allowance += n;
            transport.resumeReading();
            while (received.size() < allowance) {
                Asyncio.sleep(0);
            }
        }

        /** Lets the protocol take everything from now on. */
        void takeRest() {
            allowance = Long.MAX_VALUE;
            transport.resumeReading();
        }
    }

    @Test
    void theSocketIsNotReadWhileTheDataHeldForAPausedProtocolIsOverTheHighWaterMark() {
        int total = 1024 * 1024;
        byte[] sent = new byte[total];
        for (int i = 0; i < total; i++) {
            sent[i] = (byte) (i * 31 + (i >>> 11));
        }
        byte[] received = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Long> serverBuffered = loop.createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                reader.readexactly(2);
                for (int off = 0; off < total; off += 64 * 1024) {
                    writer.write(sent, off, 64 * 1024);
                    writer.drain();
                }
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            Metered app = new Metered();
            Connection<Metered> c = loop.createConnection(() -> app, "127.0.0.1", port, TlsTesting.clientOptions());
            SslTransport tls = (SslTransport) c.transport();
            Transport socket = tls.protocol().lowerTransport();
            tls.setReadBufferLimits(64 * 1024, 16 * 1024);
            tls.pauseReading();
            tls.write("go".getBytes(US_ASCII));

            // Held for the paused protocol: read up to the high-water mark exactly, then no more.
            awaitSize(tls, 64 * 1024);
            assertFalse(socket.isReading(), "the socket's transport is paused");
            for (int i = 0; i < 50; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(64 * 1024, tls.getReadBufferSize(), "nothing was read meanwhile");
            assertFalse(socket.isReading());

            // Taken down to about 24 KiB (decrypting drops the records' overhead), above the
            // low-water mark: the socket stays paused.
            app.take(40 * 1024);
            long left = tls.getReadBufferSize();
            assertTrue(left > 16 * 1024 && left <= 24 * 1024, "held " + left);
            assertFalse(socket.isReading(), "above the low-water mark");

            // Taken down to 14 KiB, at most the low-water mark: reading resumes, up to the mark again.
            app.take(10 * 1024);
            awaitSize(tls, 64 * 1024);
            assertFalse(socket.isReading());

            // New limits apply at once: 64 KiB is at the new low-water mark, so reading resumes.
            tls.setReadBufferLimits(128 * 1024, 64 * 1024);
            assertTrue(socket.isReading(), "resumed by setReadBufferLimits");
            awaitSize(tls, 128 * 1024);
            assertFalse(socket.isReading());

            app.takeRest();
            assertNull(app.lost.await(), "a clean close after everything arrived");
            assertEquals(0, tls.getReadBufferSize());
            server.close();
            return app.received.toByteArray();
        }, EventLoop::newEventLoop, null);
        assertArrayEquals(sent, received, "every byte, in order");
    }

    /** Waits until {@code size} bytes are held; fails if more ever are. */
    private static void awaitSize(SslTransport tls, long size) {
        while (tls.getReadBufferSize() < size) {
            Asyncio.sleep(0);
        }
        assertEquals(size, tls.getReadBufferSize(), "the socket is read no further than the high-water mark");
    }

    @Test
    void aHighWaterMarkOfZeroStopsReadingTheSocketAsSoonAsAnythingIsHeld() {
        int total = 256 * 1024;
        byte[] received = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer((reader, writer) -> {
                reader.readexactly(2);
                writer.write(new byte[total]);
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            Metered app = new Metered();
            Connection<Metered> c = loop.createConnection(() -> app, "127.0.0.1", port, TlsTesting.clientOptions());
            SslTransport tls = (SslTransport) c.transport();
            Transport socket = tls.protocol().lowerTransport();
            tls.setReadBufferLimits(0, null);
            tls.pauseReading();
            tls.write("go".getBytes(US_ASCII));
            while (tls.getReadBufferSize() == 0) {
                Asyncio.sleep(0);
            }
            long held = tls.getReadBufferSize();
            assertFalse(socket.isReading(), "paused by the first bytes held");
            assertTrue(held <= 16 * 1024, "one small read: " + held);
            for (int i = 0; i < 50; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(held, tls.getReadBufferSize(), "nothing was read meanwhile");
            // A protocol that reads leaves at most the start of a record behind: the socket is read again.
            app.takeRest();
            assertNull(app.lost.await());
            server.close();
            return app.received.toByteArray();
        }, EventLoop::newEventLoop, null);
        assertArrayEquals(new byte[total], received);
    }

    @Test
    void closingWhileTheSocketIsNotReadForAPausedProtocolStillExchangesCloseNotify() {
        Throwable lostWith = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer((reader, writer) -> {
                reader.readexactly(2);
                writer.write(new byte[1024 * 1024]);
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            Metered app = new Metered();
            Connection<Metered> c = loop.createConnection(() -> app, "127.0.0.1", port,
                    TlsTesting.clientOptions().withSslShutdownTimeout(10));
            SslTransport tls = (SslTransport) c.transport();
            tls.setReadBufferLimits(64 * 1024, null);
            tls.pauseReading();
            tls.write("go".getBytes(US_ASCII));
            awaitSize(tls, 64 * 1024);
            // Closing drops what is held and reads on, up to the peer's close_notify.
            tls.close();
            Throwable exc = app.lost.await();
            server.close();
            return exc;
        }, EventLoop::newEventLoop, null);
        assertNull(lostWith, "close_notify answered, not the shutdown timeout");
    }
}
