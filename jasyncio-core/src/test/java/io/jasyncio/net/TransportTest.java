package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.openDescriptors;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transports and protocols over real loopback TCP connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportTest {

    /** A connected pair of recording protocols: the client's and the server's. */
    private record Pair(Server server, RecordingProtocol client, RecordingProtocol peer) {
        void close() {
            client.transport.close();
            peer.transport.close();
            server.close();
        }
    }

    private static Pair connect() throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<RecordingProtocol> accepted = loop.createFuture();
        Server server = loop.createServer(() -> {
            RecordingProtocol p = new RecordingProtocol();
            accepted.setResult(p);
            return p;
        }, "127.0.0.1", 0);
        Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, "127.0.0.1", port(server));
        RecordingProtocol peer = accepted.await();
        peer.made.await();
        assertSame(c.transport(), c.protocol().transport);
        return new Pair(server, c.protocol(), peer);
    }

    /** Fills the client's write buffer over its high-water mark while the peer does not read; returns bytes written. */
    private static long fillWhilePeerPaused(Pair p) {
        p.peer.transport.pauseReading();
        Transport t = p.client.transport;
        long written = 0;
        while (t.getWriteBufferSize() <= t.getWriteBufferLimits().high()) {
            t.write(patternBytes(written, 64 * 1024));
            written += 64 * 1024;
            Asyncio.sleep(0);
        }
        return written;
    }

    @Test
    void connectionMadeHasRunWhenCreateConnectionReturns() {
        run(() -> {
            Pair p = connect();
            assertEquals(List.of("made"), p.client.events);
            p.close();
            return null;
        });
    }

    @Test
    void callbacksArriveInAsyncioOrderWhenThePeerClosesFirst() {
        List<String> events = run(() -> {
            Pair p = connect();
            p.peer.transport.write(b("hi"));
            p.peer.transport.close();
            assertNull(p.client.lost.await());
            assertArrayEquals(b("hi"), p.client.received.toByteArray());
            p.server.close();
            return p.client.events;
        });
        assertEquals(List.of("made", "data", "eof", "lost"), events);
    }

    @Test
    void connectionLostIsCalledExactlyOnceWhateverClosesTheTransport() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            t.close();
            t.abort();
            t.close();
            assertTrue(t.isClosing());
            assertFalse(t.isReading());
            p.client.lost.await();
            t.abort();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(1, p.client.events.stream().filter("lost"::equals).count(), p.client.events.toString());
            p.peer.lost.await();
            assertEquals(1, p.peer.events.stream().filter("lost"::equals).count());
            p.server.close();
            return null;
        });
    }

    @Test
    void closeSendsTheBufferedDataBeforeConnectionLost() {
        run(() -> {
            Pair p = connect();
            long written = fillWhilePeerPaused(p);
            Transport t = p.client.transport;
            t.close();
            assertTrue(t.isClosing());
            assertTrue(t.getWriteBufferSize() > 0);
            Asyncio.sleep(0);
            assertFalse(p.client.lost.done(), "connectionLost waits for the buffer");
            p.peer.transport.resumeReading();
            byte[] all = p.peer.awaitBytes((int) written);
            assertArrayEquals(patternBytes(0, (int) written), all);
            assertNull(p.client.lost.await());
            assertEquals(0, t.getWriteBufferSize());
            p.close();
            return null;
        });
    }

    @Test
    void abortDropsTheBufferedDataAndLosesTheConnectionAtOnce() {
        run(() -> {
            Pair p = connect();
            long written = fillWhilePeerPaused(p);
            Transport t = p.client.transport;
            t.abort();
            assertEquals(0, t.getWriteBufferSize());
            assertNull(p.client.lost.await());
            p.peer.transport.resumeReading();
            p.peer.lost.await();
            assertTrue(p.peer.received.size() < written, "some data was dropped");
            p.close();
            return null;
        });
    }

    @Test
    void writesAfterTheConnectionIsLostAreDropped() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            t.close();
            p.client.lost.await();
            for (int i = 0; i < 10; i++) {
                t.write(b("into the void"));
            }
            t.writelines(b("a"), b("b"));
            assertEquals(0, t.getWriteBufferSize());
            p.close();
            return null;
        });
    }

    @Test
    void pauseWritingAndResumeWritingFollowTheWaterMarks() {
        run(() -> {
            Pair p = connect();
            p.client.transport.setWriteBufferLimits(64 * 1024, 16 * 1024);
            long written = fillWhilePeerPaused(p);
            assertTrue(p.client.events.contains("pause"));
            assertFalse(p.client.events.contains("resume"));
            p.peer.transport.resumeReading();
            p.peer.awaitBytes((int) written);
            while (p.client.transport.getWriteBufferSize() > 0) {
                Asyncio.sleep(0);
            }
            assertEquals(List.of("made", "pause", "resume"), p.client.events);
            p.close();
            return null;
        });
    }

    @Test
    void setWriteBufferLimitsDefaultsAndValidatesLikeAsyncio() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), t.getWriteBufferLimits());
            t.setWriteBufferLimits(null, 10);
            assertEquals(new WriteBufferLimits(10, 40), t.getWriteBufferLimits());
            t.setWriteBufferLimits(100, null);
            assertEquals(new WriteBufferLimits(25, 100), t.getWriteBufferLimits());
            t.setWriteBufferLimits(0, 0);
            assertEquals(new WriteBufferLimits(0, 0), t.getWriteBufferLimits());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
            assertTrue(e.getMessage().contains("10") && e.getMessage().contains("20"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, -1));
            t.setWriteBufferLimits(null, null);
            assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), t.getWriteBufferLimits());
            p.close();
            return null;
        });
    }

    @Test
    void loweringTheHighWaterMarkBelowTheBufferPausesAtOnce() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            t.setWriteBufferLimits(Integer.MAX_VALUE, 0);
            p.peer.transport.pauseReading();
            while (t.getWriteBufferSize() == 0) {
                t.write(patternBytes(0, 64 * 1024));
                Asyncio.sleep(0);
            }
            assertEquals(List.of("made"), p.client.events);
            t.setWriteBufferLimits(1, 0);
            assertEquals(List.of("made", "pause"), p.client.events, "paused synchronously");
            p.close();
            return null;
        });
    }

    @Test
    void pauseReadingHoldsDataUntilResumeReading() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            t.pauseReading();
            assertFalse(t.isReading());
            t.pauseReading();
            p.peer.transport.write(b("held back"));
            assertEquals(0, p.peer.transport.getWriteBufferSize(), "the peer's kernel took the data");
            Asyncio.sleep(0.02);
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(0, p.client.received.size(), "nothing delivered while paused");
            t.resumeReading();
            assertTrue(t.isReading());
            assertArrayEquals(b("held back"), p.client.awaitBytes(9));
            p.close();
            return null;
        });
    }

    @Test
    void bufferedProtocolReadsIntoItsOwnBuffer() {
        byte[] sent = patternBytes(0, 1000);
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    ((Transport) transport).write(sent);
                    transport.close();
                }
            }, "127.0.0.1", 0);
            List<Integer> sizeHints = new ArrayList<>();
            List<Integer> updates = new ArrayList<>();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            Future<Throwable> lost = loop.createFuture();
            ByteBuffer buf = ByteBuffer.allocateDirect(7);
            loop.createConnection(() -> new BufferedProtocol() {
                @Override
                public ByteBuffer getBuffer(int sizeHint) {
                    sizeHints.add(sizeHint);
                    return buf.clear();
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    updates.add(nbytes);
                    assertEquals(nbytes, buf.position(), "the buffer's position moved past the bytes");
                    buf.flip();
                    byte[] chunk = new byte[nbytes];
                    buf.get(chunk);
                    got.writeBytes(chunk);
                }

                @Override
                public void connectionLost(Throwable exc) {
                    lost.setResult(exc);
                }
            }, "127.0.0.1", port(server));
            assertNull(lost.await());
            assertArrayEquals(sent, got.toByteArray());
            assertTrue(updates.stream().allMatch(n -> n > 0 && n <= 7), updates.toString());
            assertTrue(sizeHints.stream().allMatch(h -> h == -1));
            server.close();
            return null;
        });
    }

    @Test
    void anEmptyBufferFromGetBufferIsAFatalError() {
        List<Map<String, Object>> errors = new ArrayList<>();
        Throwable lostWith = run(errors, () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    ((Transport) transport).write(b("x"));
                }
            }, "127.0.0.1", 0);
            Future<Throwable> lost = loop.createFuture();
            loop.createConnection(() -> new BufferedProtocol() {
                @Override
                public ByteBuffer getBuffer(int sizeHint) {
                    return ByteBuffer.allocate(0);
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    fail("nothing can be read into an empty buffer");
                }

                @Override
                public void connectionLost(Throwable exc) {
                    lost.setResult(exc);
                }
            }, "127.0.0.1", port(server));
            Throwable exc = lost.await();
            server.close();
            server.closeClients();
            return exc;
        });
        assertInstanceOf(IllegalStateException.class, lostWith);
        assertEquals(1, errors.size());
        assertEquals("Fatal error: protocol.get_buffer() call failed.", errors.get(0).get("message"));
        assertSame(lostWith, errors.get(0).get("exception"));
    }

    @Test
    void anExceptionFromDataReceivedIsFatalReportedAndPassedToConnectionLost() {
        List<Map<String, Object>> errors = new ArrayList<>();
        RuntimeException bug = new RuntimeException("protocol bug");
        Throwable lostWith = run(errors, () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            p.client.transport.setProtocol(new RecordingProtocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    throw bug;
                }
            });
            RecordingProtocol replaced = (RecordingProtocol) p.client.transport.getProtocol();
            p.peer.transport.write(b("boom"));
            Throwable exc = replaced.lost.await();
            assertTrue(p.client.transport.isClosing());
            p.close();
            return exc;
        });
        assertSame(bug, lostWith);
        assertEquals(1, errors.size());
        assertEquals("Fatal error: protocol.data_received() call failed.", errors.get(0).get("message"));
        assertSame(bug, errors.get(0).get("exception"));
        assertNotNull(errors.get(0).get("transport"));
    }

    @Test
    void setProtocolSendsLaterEventsToTheNewProtocol() {
        run(() -> {
            Pair p = connect();
            RecordingProtocol second = new RecordingProtocol();
            p.client.transport.setProtocol(second);
            assertSame(second, p.client.transport.getProtocol());
            p.peer.transport.write(b("to the second"));
            assertArrayEquals(b("to the second"), second.awaitBytes(13));
            assertEquals(0, p.client.received.size());
            assertThrows(IllegalArgumentException.class, () -> p.client.transport.setProtocol(new BaseProtocol() { }));
            p.close();
            return null;
        });
    }

    @Test
    void eofReceivedReturningTrueKeepsTheTransportOpenForWriting() {
        run(() -> {
            Pair p = connect();
            p.client.keepOpenOnEof = true;
            p.peer.transport.writeEof();
            p.client.awaitBytes(1);
            assertTrue(p.client.events.contains("eof"));
            assertFalse(p.client.transport.isClosing());
            p.client.transport.write(b("reply after eof"));
            assertArrayEquals(b("reply after eof"), p.peer.awaitBytes(15));
            p.client.transport.close();
            assertNull(p.client.lost.await());
            assertEquals(List.of("made", "eof", "lost"), p.client.events);
            p.close();
            return null;
        });
    }

    @Test
    void writeEofRejectsLaterWritesAndTheSocketTransportSupportsIt() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            assertTrue(t.canWriteEof());
            t.write(b("last words"));
            t.writeEof();
            t.writeEof();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.write(b("x")));
            assertTrue(e.getMessage().contains("write_eof"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> t.writelines(b("x")));
            assertArrayEquals(b("last words"), p.peer.awaitBytes(100));
            assertTrue(p.peer.events.contains("eof"));
            p.close();
            return null;
        });
    }

    @Test
    void writelinesSendsEveryPieceInOrder() {
        run(() -> {
            Pair p = connect();
            Transport t = p.client.transport;
            t.writelines(b("ab"), b(""), b("cd"));
            t.writelines(ByteBuffer.wrap(b("ef")), ByteBuffer.allocateDirect(2).put(b("gh")).flip());
            t.writelines(List.of(b("ij"), b("kl")));
            byte[] big = patternBytes(0, 3 << 20);
            t.writelines(ByteBuffer.wrap(big, 0, 1 << 20), ByteBuffer.wrap(big, 1 << 20, 2 << 20));
            byte[] all = p.peer.awaitBytes(12 + big.length);
            assertEquals("abcdefghijkl", new String(all, 0, 12, US_ASCII));
            assertArrayEquals(big, java.util.Arrays.copyOfRange(all, 12, all.length));
            p.close();
            return null;
        });
    }

    @Test
    void writeConsumesTheBufferAndCopiesWhatItKeeps() {
        run(() -> {
            Pair p = connect();
            long written = fillWhilePeerPaused(p);
            byte[] mutable = b("original");
            ByteBuffer heap = ByteBuffer.wrap(mutable);
            p.client.transport.write(heap);
            assertFalse(heap.hasRemaining());
            System.arraycopy(b("changed!"), 0, mutable, 0, 8);
            p.peer.transport.resumeReading();
            byte[] all = p.peer.awaitBytes((int) written + 8);
            assertEquals("original", new String(all, (int) written, 8, US_ASCII));
            assertThrows(IndexOutOfBoundsException.class, () -> p.client.transport.write(mutable, 5, 10));
            p.close();
            return null;
        });
    }

    @Test
    void aProtocolThatIsNeitherKindIsRejectedAndItsSocketClosed() {
        run(() -> {
            connect().close();
            return null;
        });
        long before = openDescriptors();
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(RecordingProtocol::new, "127.0.0.1", 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.createConnection(() -> new BaseProtocol() { }, "127.0.0.1", port(server)));
            assertTrue(e.getMessage().contains("Protocol"), e.getMessage());
            server.close();
            server.abortClients();
            return null;
        });
        assertEquals(before, openDescriptors());
    }

    @Test
    void extraInfoOutlivesTheConnection() {
        run(() -> {
            Pair p = connect();
            InetSocketAddress peer = (InetSocketAddress) p.client.transport.getExtraInfo("peername");
            p.client.transport.close();
            p.client.lost.await();
            assertEquals(peer, p.client.transport.getExtraInfo("peername"));
            assertNotNull(p.client.transport.getExtraInfo("sockname"));
            TransportSocket sock = (TransportSocket) p.client.transport.getExtraInfo("socket");
            assertFalse(sock.isOpen());
            p.close();
            return null;
        });
    }
}
