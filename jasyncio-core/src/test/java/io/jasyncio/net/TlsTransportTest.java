package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS transports under protocols: startTls, flow control, pausing, errors, and TLS over TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTransportTest {
    private static final int HELLO_SIZE = 100 * 1024;

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** A buffered protocol reading into a tiny buffer of its own, recording what it receives. */
    private static final class TinyBufferProtocol implements BufferedProtocol {
        final ByteBuffer buffer;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Future<Void> first = new Future<>(EventLoop.running());
        int made;

        TinyBufferProtocol(int size) {
            buffer = ByteBuffer.allocate(size);
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            made++;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            received.write(buffer.array(), 0, nbytes);
            if (!first.done()) {
                first.setResult(null);
            }
        }
    }

    @Test
    void startTlsKeepsTheProtocolAndDoesNotCallConnectionMadeAgain() {
        byte[] hello = patternBytes(0, HELLO_SIZE);
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer((reader, writer) -> {
                assertArrayEquals(hello, reader.readexactly(HELLO_SIZE));
                // STARTTLS: the client starts its handshake only after this answer, so the
                // server's reader cannot swallow the ClientHello.
                writer.write(b("go"));
                writer.startTls(TlsTesting.serverOptions());
                writer.write(b("O"));
                assertArrayEquals(hello, reader.readexactly(HELLO_SIZE));
                writer.write(b("2"));
                assertArrayEquals(hello, reader.readexactly(HELLO_SIZE));
                writer.close();
            }, "127.0.0.1", 0);
            TinyBufferProtocol first = new TinyBufferProtocol(1);
            Connection<TinyBufferProtocol> c = loop.createConnection(() -> first, "127.0.0.1", port(server));
            c.transport().write(hello);
            while (first.received.size() < 2) {
                Asyncio.sleep(0);
            }
            Transport tls = loop.startTls(c.transport(), first, TlsTesting.clientOptions(), false);
            assertNotSame(c.transport(), tls);
            assertSame(first, tls.getProtocol());
            while (first.received.size() < 3) {
                Asyncio.sleep(0);
            }
            assertEquals("goO", first.received.toString(US_ASCII));
            tls.write(hello);
            RecordingProtocol second = new RecordingProtocol();
            tls.setProtocol(second);
            assertSame(second, tls.getProtocol());
            assertArrayEquals(b("2"), second.awaitBytes(1));
            tls.write(hello);
            assertNull(second.lost.await(), "close_notify, then a clean close");
            assertEquals(List.of("data", "eof", "lost"), second.events);
            assertEquals(1, first.made, "connectionMade ran once, for the plain connection");
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void connectedAndAcceptedSocketsCanBeWrappedInTls() {
        String reply = run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ServerSocketChannel listening = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
            SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            SocketChannel accepted = listening.accept();
            listening.close();
            IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                    () -> loop.createConnection(RecordingProtocol::new, client, TlsOptions.of(TlsTesting.clientContext())));
            assertEquals("You must set serverHostname when using ssl without a host", noName.getMessage());
            // Both handshakes must run at once: the server side as a task, the client side here.
            RecordingProtocol serverProtocol = new RecordingProtocol();
            Task<Connection<RecordingProtocol>> serverSide = Asyncio.createTask(
                    () -> loop.connectAcceptedSocket(() -> serverProtocol, accepted, TlsTesting.serverOptions()));
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, client,
                    TlsTesting.clientOptions());
            Transport serverTransport = serverSide.await().transport();
            c.transport().write(b("over a socket of my own"));
            String got = s(serverProtocol.awaitBytes(23));
            assertEquals(TlsTesting.material().certificate(), c.transport().getExtraInfo("peercert"));
            assertNotNull(serverTransport.getExtraInfo("cipher"));
            c.transport().close();
            assertNull(c.protocol().lost.await());
            assertNull(serverProtocol.lost.await());
            return got;
        });
        assertEquals("over a socket of my own", reply);
    }

    @Test
    void aTlsServerCanServeOnAnExistingServerSocket() {
        String reply = run(() -> {
            ServerSocketChannel listening = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            Server server = Asyncio.getRunningLoop().createServer(NetTesting::echoProtocol, listening, ServerOptions.DEFAULT, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            c.writer().write(b("ping"));
            byte[] echo = c.reader().readexactly(4);
            c.writer().close();
            server.close();
            server.closeClients();
            return s(echo);
        });
        assertEquals("ping", reply);
    }

    @Test
    void bufferedProtocolWithATinyBufferReceivesEveryByte() {
        byte[] payload = patternBytes(7, 300 * 1024);
        byte[] got = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(payload);
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            TinyBufferProtocol p = new TinyBufferProtocol(7);
            Future<Throwable> lost = Asyncio.getRunningLoop().createFuture();
            Connection<BufferedProtocol> c = Asyncio.getRunningLoop().createConnection(() -> new BufferedProtocol() {
                @Override
                public ByteBuffer getBuffer(int sizeHint) {
                    return p.getBuffer(sizeHint);
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    p.bufferUpdated(nbytes);
                }

                @Override
                public void connectionLost(Throwable exc) {
                    lost.setResult(exc);
                }
            }, "127.0.0.1", port(server), TlsTesting.clientOptions());
            assertNull(lost.await());
            assertTrue(c.transport().isClosing());
            server.close();
            return p.received.toByteArray();
        });
        assertArrayEquals(payload, got);
    }

    @Test
    void writeFlowControlPausesOverTheHighWaterMarkAndResumesAtTheLowOne() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Transport> serverSide = loop.createFuture();
            Server server = loop.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    ((Transport) transport).pauseReading();
                    serverSide.setResult((Transport) transport);
                }
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            Future<Long> resumedAt = loop.createFuture();
            RecordingProtocol p = new RecordingProtocol() {
                @Override
                public void resumeWriting() {
                    super.resumeWriting();
                    resumedAt.setResult(transport.getWriteBufferSize());
                }
            };
            Connection<RecordingProtocol> c = loop.createConnection(() -> p, "127.0.0.1", port(server),
                    TlsTesting.clientOptions());
            Transport t = c.transport();
            assertEquals(new WriteBufferLimits(128 * 1024, 512 * 1024), t.getWriteBufferLimits(), "asyncio's TLS defaults");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(1, 2));
            assertEquals("high (1) must be >= low (2) must be >= 0", bad.getMessage());
            t.setWriteBufferLimits(256 * 1024, null);
            assertEquals(new WriteBufferLimits(64 * 1024, 256 * 1024), t.getWriteBufferLimits());
            byte[] block = patternBytes(0, 64 * 1024);
            while (!p.events.contains("pause")) {
                t.write(block);
                Asyncio.sleep(0);
            }
            assertTrue(t.getWriteBufferSize() > 256 * 1024, "size " + t.getWriteBufferSize());
            serverSide.await().resumeReading();
            long sizeAtResume = resumedAt.await();
            assertTrue(sizeAtResume <= 64 * 1024, "size " + sizeAtResume);
            assertEquals(List.of("made", "pause", "resume"), p.events);
            t.close();
            p.lost.await();
            server.close();
            server.abortClients();
            return null;
        });
    }

    @Test
    void tlsRunsOverTls() {
        List<Object> engines = new ArrayList<>();
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                assertEquals("UPGRADE\n", s(reader.readline()));
                writer.write(b("OK\n"));
                writer.startTls(TlsTesting.serverOptions());
                writer.write(b("inner " + s(reader.readline())));
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            c.writer().write(b("UPGRADE\n"));
            assertEquals("OK\n", s(c.reader().readline()));
            engines.add(c.writer().getExtraInfo("ssl_object"));
            c.writer().startTls(TlsTesting.clientOptions());
            engines.add(c.writer().getExtraInfo("ssl_object"));
            c.writer().write(b("hello\n"));
            String line = s(c.reader().readline());
            assertEquals(0, c.reader().read().length);
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return line;
        });
        assertEquals("inner hello\n", reply);
        assertNotSame(engines.get(0), engines.get(1), "the inner connection has an engine of its own");
    }

    @Test
    void keyUpdateStartedOnTheEngineCompletesWhileDataFlows() {
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, startHandshakeMidConnection("TLSv1.3"));
    }

    @Test
    void renegotiationStartedByTheClientCompletesWhileDataFlows() {
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, startHandshakeMidConnection("TLSv1.2"));
    }

    /**
     * Starts a handshake on the client's engine mid-connection (a KeyUpdate in TLS 1.3, a
     * renegotiation in TLS 1.2), then echoes through it; returns the engine's final status.
     */
    private static HandshakeStatus startHandshakeMidConnection(String protocol) {
        return run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] line;
                while ((line = reader.readline()).length > 0) {
                    writer.write(line);
                }
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withParameters(p -> p.setProtocols(new String[] {protocol})));
            c.writer().write(b("before\n"));
            assertEquals("before\n", s(c.reader().readline()));
            SSLEngine engine = (SSLEngine) c.writer().getExtraInfo("ssl_object");
            engine.beginHandshake();
            assertEquals(HandshakeStatus.NEED_WRAP, engine.getHandshakeStatus(), "a handshake was started");
            for (int i = 0; i < 3; i++) {
                c.writer().write(b("during " + i + "\n"));
                assertEquals("during " + i + "\n", s(c.reader().readline()));
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return status;
        });
    }

    @Test
    void startTlsRejectsWhatItCannotUpgrade() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Transport foreign = (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(),
                    new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                        if (method.getName().equals("toString")) {
                            return "ForeignTransport";
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                    () -> loop.startTls(foreign, new RecordingProtocol(), TlsTesting.clientOptions(), false));
            assertEquals("transport ForeignTransport is not supported by startTls()", kind.getMessage());
            Server server = Asyncio.startServer((reader, writer) -> writer.close(), "127.0.0.1", 0);
            Connection<RecordingProtocol> c = loop.createConnection(RecordingProtocol::new, "127.0.0.1", port(server));
            IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                    () -> loop.startTls(c.transport(), c.protocol(), TlsOptions.of(TlsTesting.clientContext()), false));
            assertTrue(noName.getMessage().startsWith("checkHostname requires a serverHostname"), noName.getMessage());
            IllegalArgumentException noContext = assertThrows(IllegalArgumentException.class,
                    () -> loop.startTls(c.transport(), c.protocol(), TlsOptions.DEFAULT, true));
            assertEquals("Server side SSL needs a valid SSLContext", noContext.getMessage());
            c.transport().close();
            server.close();
            return null;
        });
    }

    @Test
    void exceptionInDataReceivedIsReportedAndEndsTheConnectionWithIt() {
        List<Map<String, Object>> errors = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable lostWith = run(errors, () -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(b("x"));
                reader.read();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            RecordingProtocol p = new RecordingProtocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    throw boom;
                }
            };
            Asyncio.getRunningLoop().createConnection(() -> p, "127.0.0.1", port(server), TlsTesting.clientOptions());
            Throwable exc = p.lost.await();
            server.close();
            server.closeClients();
            return exc;
        });
        assertSame(boom, lostWith);
        assertEquals(1, errors.size());
        assertEquals("Fatal error on SSL protocol", errors.get(0).get("message"));
        assertSame(boom, errors.get(0).get("exception"));
    }

    @Test
    void abortClosesAtOnceAndTheProtocolLosesTheConnectionWithoutError() {
        run(() -> {
            Future<Void> serverDone = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                try {
                    reader.read();
                } finally {
                    // End of stream or a reset, depending on what the aborted socket had unread.
                    serverDone.setResult(null);
                }
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            RecordingProtocol p = new RecordingProtocol();
            Connection<RecordingProtocol> c = Asyncio.getRunningLoop().createConnection(() -> p, "127.0.0.1",
                    port(server), TlsTesting.clientOptions());
            c.transport().write(b("anything"));
            c.transport().abort();
            assertTrue(c.transport().isClosing());
            assertFalse(c.transport().isReading());
            assertNull(p.lost.await());
            assertEquals(List.of("made", "lost"), p.events);
            serverDone.await();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void writesAfterCloseAreDroppedSilently() {
        String got = run(() -> {
            Future<byte[]> serverRead = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                serverRead.setResult(reader.read());
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            RecordingProtocol p = new RecordingProtocol();
            Connection<RecordingProtocol> c = Asyncio.getRunningLoop().createConnection(() -> p, "127.0.0.1",
                    port(server), TlsTesting.clientOptions());
            c.transport().write(b("kept"));
            c.transport().close();
            c.transport().write(b(" dropped"));
            c.transport().writelines(b("also"), b("dropped"));
            assertNull(p.lost.await());
            server.close();
            return s(serverRead.await());
        });
        assertEquals("kept", got);
    }

    @Test
    void readBufferLimitsDefaultToAsynciosAndMissingMarksFollowFromTheGivenOne() {
        run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> writer.close(), "127.0.0.1", 0,
                    TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            TlsTransport t = (TlsTransport) c.writer().transport();
            assertEquals(new ReadBufferLimits(64 * 1024, 256 * 1024), t.getReadBufferLimits(), "asyncio's TLS defaults");
            t.setReadBufferLimits(100_000, null);
            assertEquals(new ReadBufferLimits(25_000, 100_000), t.getReadBufferLimits(), "low: a quarter of high");
            t.setReadBufferLimits(null, 1000);
            assertEquals(new ReadBufferLimits(1000, 4000), t.getReadBufferLimits(), "high: four times low");
            t.setReadBufferLimits(0, null);
            assertEquals(new ReadBufferLimits(0, 0), t.getReadBufferLimits(), "a high of zero forces low to zero");
            t.setReadBufferLimits(null, null);
            assertEquals(new ReadBufferLimits(64 * 1024, 256 * 1024), t.getReadBufferLimits(), "back to the defaults");
            c.reader().read();
            c.writer().close();
            c.writer().waitClosed();
            assertEquals(0, t.getReadBufferSize(), "nothing is held once the connection is lost");
            server.close();
            return null;
        });
    }

    @Test
    void badReadBufferLimitsAreRejectedNamingBothValuesAndChangeNothing() {
        run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> writer.close(), "127.0.0.1", 0,
                    TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            TlsTransport t = (TlsTransport) c.writer().transport();
            t.setReadBufferLimits(8192, 1024);
            IllegalArgumentException lowAboveHigh = assertThrows(IllegalArgumentException.class,
                    () -> t.setReadBufferLimits(1, 2));
            assertEquals("high (1) must be >= low (2) must be >= 0", lowAboveHigh.getMessage());
            IllegalArgumentException negativeLow = assertThrows(IllegalArgumentException.class,
                    () -> t.setReadBufferLimits(null, -1));
            assertEquals("high (-4) must be >= low (-1) must be >= 0", negativeLow.getMessage());
            IllegalArgumentException negativeHigh = assertThrows(IllegalArgumentException.class,
                    () -> t.setReadBufferLimits(-1, null));
            assertEquals("high (-1) must be >= low (-1) must be >= 0", negativeHigh.getMessage(),
                    "low is high // 4, rounded down as in Python");
            assertEquals(new ReadBufferLimits(1024, 8192), t.getReadBufferLimits());
            c.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void tlsTransportsHaveReadBufferLimitsAndSocketTransportsDoNot() {
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(b("go"));
                writer.startTls(TlsTesting.serverOptions());
                writer.write(reader.readexactly(5));
                writer.close();
            }, "127.0.0.1", 0);
            RecordingProtocol p = new RecordingProtocol();
            Connection<RecordingProtocol> c = loop.createConnection(() -> p, "127.0.0.1", port(server));
            assertFalse(c.transport() instanceof TlsTransport, "asyncio's socket transport has no read-buffer limits");
            p.awaitBytes(2);
            TlsTransport tls = loop.startTls(c.transport(), p, TlsTesting.clientOptions(), false);
            assertEquals(new ReadBufferLimits(64 * 1024, 256 * 1024), tls.getReadBufferLimits());
            tls.write(b("hello"));
            assertEquals("gohello", s(p.awaitBytes(7)));
            assertNull(p.lost.await());
            server.close();
            return null;
        });
    }

    @Test
    void aStreamOverTlsWithAReadHighWaterMarkOfZeroStillGetsEveryByte() {
        int total = 512 * 1024;
        byte[] sent = patternBytes(0, total);
        byte[] received = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(sent);
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            // A small reader limit makes the stream pause its transport over and over; each time
            // the TLS layer stops reading the socket as soon as anything waits.
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), 1024, ConnectOptions.DEFAULT,
                    TlsTesting.clientOptions());
            ((TlsTransport) c.writer().transport()).setReadBufferLimits(0, null);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = c.reader().read(1000)).length > 0) {
                all.writeBytes(chunk);
                Asyncio.sleep(0);
            }
            c.writer().close();
            server.close();
            return all.toByteArray();
        });
        assertArrayEquals(sent, received);
    }
}
