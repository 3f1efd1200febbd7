package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.patternBytes;
import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static io.jasyncio.net.NetTesting.runVirtual;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Queue;
import io.jasyncio.Task;
import io.jasyncio.VirtualClock;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streams API over TLS: a jasyncio client against a jasyncio server on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsStreamsTest {

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** A TLS server whose handler hands the connection's streams to the test through a future. */
    private static Server tlsServerHandingOver(Future<StreamConnection> accepted, TlsOptions options) throws IOException {
        return Asyncio.startServer((reader, writer) -> accepted.setResult(new StreamConnection(reader, writer)),
                "127.0.0.1", 0, options);
    }

    /** A TCP server whose connections receive and send nothing: a peer that never answers a handshake. */
    private static Server silentServer(List<Transport> accepted) throws IOException {
        return Asyncio.getRunningLoop().createServer(() -> new Protocol() {
            @Override
            public void connectionMade(BaseTransport transport) {
                accepted.add((Transport) transport);
            }
        }, "127.0.0.1", 0);
    }

    private static EventLoop virtualLoop(List<Map<String, Object>> errors) {
        EventLoop loop = EventLoop.newEventLoop(new VirtualClock());
        loop.setExceptionHandler((l, context) -> errors.add(new HashMap<>(context)));
        return loop;
    }

    @Test
    void echoRoundTripOverTlsBetweenOpenConnectionAndStartServer() {
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] data = reader.readexactly(5);
                writer.write(data);
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            c.writer().write(b("Hello"));
            c.writer().drain();
            byte[] data = c.reader().readexactly(5);
            assertEquals(0, c.reader().read(100).length, "the server's close_notify ends the stream");
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return s(data);
        });
        assertEquals("Hello", reply);
    }

    @Test
    void extraInfoNamesThePeerCertificateCipherVersionAndSocket() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            SSLContext clientContext = TlsTesting.clientContext();
            Server server = tlsServerHandingOver(accepted, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsOptions.of(clientContext).withServerHostname("localhost"));
            StreamWriter w = c.writer();
            StreamConnection peer = accepted.await();
            X509Certificate cert = TlsTesting.material().certificate();
            assertEquals(cert, w.getExtraInfo("peercert"));
            assertEquals(List.of(cert), w.getExtraInfo("peercert_chain"));
            assertSame(clientContext, w.getExtraInfo("sslcontext"));
            assertInstanceOf(SSLEngine.class, w.getExtraInfo("ssl_object"));
            assertEquals("TLSv1.3", w.getExtraInfo("tls_version"));
            assertTrue(((String) w.getExtraInfo("cipher")).startsWith("TLS_"), "cipher " + w.getExtraInfo("cipher"));
            assertNull(w.getExtraInfo("compression", "absent"), "compression is known and none");
            assertNull(w.getExtraInfo("alpn_protocol"));
            assertEquals(port(server), ((java.net.InetSocketAddress) w.getExtraInfo("peername")).getPort());
            assertNotNull(w.getExtraInfo("socket"));
            assertEquals("default", w.getExtraInfo("no such key", "default"));
            assertNull(peer.writer().getExtraInfo("peercert"), "the client sent no certificate");
            assertEquals(w.getExtraInfo("cipher"), peer.writer().getExtraInfo("cipher"));
            w.close();
            peer.writer().close();
            w.waitClosed();
            assertEquals("default", w.getExtraInfo("peername", "default"), "the socket is gone once closed");
            assertEquals(cert, w.getExtraInfo("peercert"), "TLS information outlives the connection");
            server.close();
            return null;
        });
    }

    @Test
    void clientSendsItsServerHostnameAsSniButNotAnAddress() {
        List<List<SNIServerName>> requested = run(() -> {
            Queue<StreamConnection> accepted = new Queue<>();
            Server server = Asyncio.startServer((reader, writer) -> accepted.putNowait(new StreamConnection(reader, writer)),
                    "127.0.0.1", 0, TlsTesting.serverOptions());
            List<List<SNIServerName>> names = new ArrayList<>();
            for (String name : List.of("localhost", "127.0.0.1")) {
                // The certificate names both; the address is checked against its IP entry.
                StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                        TlsTesting.clientOptions().withServerHostname(name));
                StreamWriter peer = accepted.get().writer();
                names.add(((ExtendedSSLSession) peer.getExtraInfo("ssl_session")).getRequestedServerNames());
                c.writer().close();
                peer.close();
            }
            server.close();
            return names;
        });
        assertEquals(List.of(List.of(new SNIHostName("localhost")), List.of()), requested);
    }

    @Test
    void alpnPicksTheServersFirstChoiceThatTheClientOffers() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = tlsServerHandingOver(accepted, TlsTesting.serverOptions().withAlpnProtocols("h2", "http/1.1"));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withAlpnProtocols("http/1.1", "h2"));
            StreamConnection peer = accepted.await();
            assertEquals("h2", c.writer().getExtraInfo("alpn_protocol"));
            assertEquals("h2", peer.writer().getExtraInfo("alpn_protocol"));
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void alpnWithoutACommonProtocolGoesOnWithoutOne() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = tlsServerHandingOver(accepted, TlsTesting.serverOptions().withAlpnProtocols("h2"));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withAlpnProtocols("spdy/1"));
            StreamConnection peer = accepted.await();
            assertNull(c.writer().getExtraInfo("alpn_protocol"));
            assertNull(peer.writer().getExtraInfo("alpn_protocol"));
            c.writer().write(b("ping"));
            assertEquals("ping", s(peer.reader().readexactly(4)));
            c.writer().close();
            peer.writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void wrongHostNameFailsTheHandshakeWithACertificateError() {
        List<Map<String, Object>> errors = new ArrayList<>();
        int[] handled = {0};
        SSLHandshakeException e = run(errors, () -> {
            Server server = Asyncio.startServer((reader, writer) -> handled[0]++, "127.0.0.1", 0,
                    TlsTesting.serverOptions());
            try {
                return assertThrows(SSLHandshakeException.class, () -> Asyncio.openConnection("127.0.0.1", port(server),
                        TlsTesting.clientOptions().withServerHostname("wrong.example")));
            } finally {
                server.close();
                server.waitClosed();
            }
        });
        assertTrue(e.getMessage().contains("wrong.example"), e.getMessage());
        assertEquals(0, handled[0], "the server's handler never ran");
        assertEquals(List.of(), errors, "handshake failures are I/O errors, not reported");
    }

    @Test
    void untrustedCertificateFailsTheHandshake() {
        SSLHandshakeException e = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> writer.close(), "127.0.0.1", 0,
                    TlsTesting.serverOptions());
            try {
                // The JDK's default context trusts the JDK's CA certificates, not a self-signed one.
                return assertThrows(SSLHandshakeException.class, () -> Asyncio.openConnection("127.0.0.1", port(server),
                        TlsOptions.DEFAULT.withServerHostname("localhost")));
            } finally {
                server.close();
                server.waitClosed();
            }
        });
        assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
    }

    @Test
    void hostNameCheckCanBeTurnedOffWhileTheCertificateIsStillVerified() {
        run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(reader.readexactly(2));
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withServerHostname("wrong.example").withCheckHostname(false));
            c.writer().write(b("ok"));
            assertEquals("ok", s(c.reader().readexactly(2)));
            c.writer().close();
            StreamConnection anonymous = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withServerHostname("").withCheckHostname(false));
            anonymous.writer().write(b("hi"));
            assertEquals("hi", s(anonymous.reader().readexactly(2)));
            anonymous.writer().close();
            assertThrows(SSLHandshakeException.class, () -> Asyncio.openConnection("127.0.0.1", port(server),
                    TlsOptions.DEFAULT.withServerHostname("").withCheckHostname(false)));
            server.close();
            return null;
        });
    }

    @Test
    void handshakeTimesOutAgainstAPeerThatNeverAnswers() {
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Transport> accepted = new ArrayList<>();
        double[] failedAt = {-1};
        SocketTimeoutException e = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = silentServer(accepted);
            SocketTimeoutException thrown = assertThrows(SocketTimeoutException.class,
                    () -> Asyncio.openConnection("127.0.0.1", port(server),
                            TlsTesting.clientOptions().withSslHandshakeTimeout(5.0)));
            failedAt[0] = loop.time();
            while (!accepted.get(0).isClosing()) {
                Asyncio.sleep(0);
            }
            server.close();
            return thrown;
        }, () -> virtualLoop(errors), null);
        assertEquals("SSL handshake is taking longer than 5.0 seconds: aborting the connection", e.getMessage());
        assertEquals(5.0, failedAt[0], 1e-6, "the handshake failed exactly at the timeout");
        assertEquals(List.of(), errors);
    }

    @Test
    void serverAbortsAClientThatNeverStartsTheHandshake() {
        int[] handled = {0};
        double closedAt = runVirtual(() -> {
            Server server = Asyncio.startServer((reader, writer) -> handled[0]++, "127.0.0.1", 0,
                    StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT, TlsTesting.serverOptions().withSslHandshakeTimeout(3));
            StreamConnection plain = Asyncio.openConnection("127.0.0.1", port(server));
            assertEquals(0, plain.reader().read(10).length, "the server closed the connection");
            double at = Asyncio.getRunningLoop().time();
            plain.writer().close();
            server.close();
            server.waitClosed();
            return at;
        });
        assertEquals(3.0, closedAt, 1e-6);
        assertEquals(0, handled[0]);
    }

    @Test
    void peerClosingDuringTheHandshakeRaisesAConnectionErrorAndTheProtocolSeesNothing() {
        List<String> events = new ArrayList<>();
        SocketException e = run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createServer(() -> new Protocol() {
                private Transport transport;

                @Override
                public void connectionMade(BaseTransport t) {
                    transport = (Transport) t;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.close();
                }
            }, "127.0.0.1", 0);
            try {
                return assertThrows(SocketException.class, () -> loop.createConnection(() -> new Protocol() {
                    @Override
                    public void connectionMade(BaseTransport transport) {
                        events.add("made");
                    }

                    @Override
                    public void connectionLost(Throwable exc) {
                        events.add("lost");
                    }
                }, "127.0.0.1", port(server), TlsTesting.clientOptions()));
            } finally {
                server.close();
            }
        });
        assertTrue(e.getMessage().contains("EOF during the SSL handshake"), e.getMessage());
        assertEquals(List.of(), events);
    }

    @Test
    void cancellingTheHandshakeAbortsTheConnectionQuietly() {
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Transport> accepted = new ArrayList<>();
        Asyncio.run(() -> {
            Server server = silentServer(accepted);
            Task<StreamConnection> connecting = Asyncio.createTask(
                    () -> Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions()));
            Asyncio.sleep(1);
            assertFalse(connecting.done(), "the handshake is still waiting for the silent peer");
            connecting.cancel();
            assertThrows(CancelledError.class, connecting::await);
            while (!accepted.get(0).isClosing()) {
                Asyncio.sleep(0);
            }
            server.close();
            return null;
        }, () -> virtualLoop(errors), null);
        assertEquals(List.of(), errors, "cancelling a handshake reports nothing");
    }

    @Test
    void peerClosingWithoutCloseNotifyEndsTheStreamWithoutError() {
        double[] endedAt = {-1};
        String got = runVirtual(() -> {
            // A plain server that upgrades, sends, then closes the socket under TLS: no close_notify.
            Server server = Asyncio.startServer((reader, writer) -> {
                Transport raw = (Transport) writer.transport();
                writer.startTls(TlsTesting.serverOptions());
                writer.write(b("partial"));
                writer.drain();
                raw.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            byte[] all = c.reader().read();
            c.writer().waitClosed();
            endedAt[0] = Asyncio.getRunningLoop().time();
            server.close();
            server.waitClosed();
            return s(all);
        });
        assertEquals("partial", got);
        assertEquals(0.0, endedAt[0], "no timeout was waited for");
    }

    @Test
    void corruptedRecordsFailTheNextReadWithAnSslException() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                Transport raw = (Transport) writer.transport();
                writer.startTls(TlsTesting.serverOptions());
                writer.write(b("A\n"));
                reader.readexactly(1);
                // Bytes that are no TLS record, written under the TLS layer.
                raw.write(b("please corrupt the SSL connection"));
                try {
                    reader.read();
                } catch (IOException reset) {
                    // The client drops the connection, maybe with a reset.
                }
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            assertEquals("A\n", s(c.reader().readline()));
            c.writer().write(b("B"));
            SSLException thrown = assertThrows(SSLException.class, c.reader()::readline);
            assertSame(thrown, assertThrows(SSLException.class, c.writer()::waitClosed),
                    "the connection ended with that error");
            server.close();
            server.closeClients();
            return null;
        });
        assertEquals(List.of(), errors, "TLS errors are I/O errors: nothing is reported");
    }

    @Test
    void closeNotifyGoesBothWaysAndClosingTakesNoTimeout() {
        double[] times = new double[2];
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<StreamConnection> accepted = new Queue<>();
            Server server = Asyncio.startServer((reader, writer) -> accepted.putNowait(new StreamConnection(reader, writer)),
                    "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            StreamConnection peer = accepted.get();
            c.writer().write(b("last words"));
            c.writer().close();
            assertEquals("last words", s(peer.reader().read()), "data before close_notify arrives, then EOF");
            c.writer().waitClosed();
            peer.writer().waitClosed();
            times[0] = loop.time();
            // The other direction: the server closes first.
            StreamConnection c2 = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            StreamConnection peer2 = accepted.get();
            peer2.writer().close();
            assertEquals(0, c2.reader().read().length);
            peer2.writer().waitClosed();
            c2.writer().waitClosed();
            times[1] = loop.time();
            server.close();
            return null;
        });
        assertEquals(0.0, times[0]);
        assertEquals(0.0, times[1]);
    }

    @Test
    void closeWaitsForThePeersCloseNotifyUntilTheShutdownTimeout() {
        double[] failedAt = {-1};
        SocketTimeoutException e = runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            // The server pauses reading, so it never sees the client's close_notify and never answers.
            Server server = loop.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    ((Transport) transport).pauseReading();
                }
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), StreamReader.DEFAULT_LIMIT,
                    ConnectOptions.DEFAULT, TlsTesting.clientOptions().withSslShutdownTimeout(7.5));
            c.writer().close();
            SocketTimeoutException thrown = assertThrows(SocketTimeoutException.class, c.writer()::waitClosed);
            failedAt[0] = loop.time();
            server.close();
            server.abortClients();
            return thrown;
        });
        assertEquals("SSL shutdown timed out", e.getMessage());
        assertEquals(7.5, failedAt[0], 1e-6);
    }

    @Test
    void largeTransferBothWaysWithASlowReaderChecksEveryByte() {
        long total = 8L << 20;
        List<Map<String, Object>> errors = new ArrayList<>();
        long received = run(errors, () -> {
            // An echo server: its drain holds it back while the client reads slowly.
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] data;
                while ((data = reader.read(64 * 1024)).length > 0) {
                    writer.write(data);
                    writer.drain();
                }
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            Task<Void> sender = Asyncio.createTask(() -> {
                int chunk = 100_000;
                for (long sent = 0; sent < total; sent += chunk) {
                    int n = (int) Math.min(chunk, total - sent);
                    c.writer().write(patternBytes(sent, n));
                    c.writer().drain();
                }
                // No half-close over TLS: the reader below counts the bytes instead.
            });
            long got = 0;
            int reads = 0;
            while (got < total) {
                byte[] data = c.reader().read(8 * 1024);
                assertNotEquals(0, data.length, "unexpected end of stream at " + got + ", errors " + errors);
                for (int i = 0; i < data.length; i++) {
                    if (data[i] != pattern(got + i)) {
                        fail("byte " + (got + i) + " differs");
                    }
                }
                got += data.length;
                if (++reads % 8 == 0) {
                    Asyncio.sleep(0);
                }
            }
            sender.await();
            c.writer().close();
            assertEquals(0, c.reader().read().length);
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return got;
        });
        assertEquals(total, received);
        assertEquals(List.of(), errors);
    }

    @Test
    void startTlsUpgradesAPlainStreamConnection() {
        List<String> seen = new ArrayList<>();
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                assertEquals("STARTTLS\r\n", s(reader.readline()));
                WriteTransport plain = writer.transport();
                writer.write(b("OK\r\n"));
                writer.startTls(TlsTesting.serverOptions());
                seen.add("server upgraded: " + (writer.transport() != plain));
                String line = s(reader.readline());
                writer.write(b("secure " + line));
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            c.writer().write(b("STARTTLS\r\n"));
            assertEquals("OK\r\n", s(c.reader().readline()));
            assertNull(c.writer().getExtraInfo("cipher"), "plain so far");
            c.writer().startTls(TlsTesting.clientOptions());
            assertNotNull(c.writer().getExtraInfo("cipher"), "now over TLS");
            c.writer().write(b("hello\n"));
            String r = s(c.reader().readline());
            assertEquals(0, c.reader().read().length, "close_notify ends the stream");
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return r;
        });
        assertEquals("secure hello\n", reply);
        assertEquals(List.of("server upgraded: true"), seen);
    }

    @Test
    void cancellingStartTlsClosesTheConnection() {
        double[] cancelledAt = {-1};
        byte[] serverSaw = runVirtual(() -> {
            Future<byte[]> rest = Asyncio.getRunningLoop().createFuture();
            // The server never answers the handshake; it reads until the client goes away.
            Server server = Asyncio.startServer((reader, writer) -> rest.setResult(reader.read()), "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            WriteTransport plain = c.writer().transport();
            Task<Void> upgrade = Asyncio.createTask(() -> c.writer().startTls(TlsTesting.clientOptions()));
            Asyncio.sleep(2);
            assertFalse(upgrade.done());
            upgrade.cancel();
            assertThrows(CancelledError.class, upgrade::await);
            cancelledAt[0] = Asyncio.getRunningLoop().time();
            assertTrue(plain.isClosing(), "the connection is closed");
            assertSame(plain, c.writer().transport(), "the writer was not switched to TLS");
            byte[] got = rest.await();
            server.close();
            return got;
        });
        assertEquals(2.0, cancelledAt[0], 1e-6);
        assertEquals(0x16, serverSaw[0], "the server read the ClientHello (a handshake record), then end of stream");
    }

    @Test
    void tls12WorksAndClosesWithCloseNotify() {
        String version = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                writer.write(reader.readexactly(3));
                assertEquals(0, reader.read().length);
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsTesting.clientOptions().withParameters(p -> p.setProtocols(new String[] {"TLSv1.2"})));
            c.writer().write(b("abc"));
            assertEquals("abc", s(c.reader().readexactly(3)));
            String v = (String) c.writer().getExtraInfo("tls_version");
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return v;
        });
        assertEquals("TLSv1.2", version);
    }

    @Test
    void serverRequiringAClientCertificateSeesIt() {
        X509Certificate seen = run(() -> {
            Future<X509Certificate> peerCert = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((reader, writer) -> {
                peerCert.setResult((X509Certificate) writer.getExtraInfo("peercert"));
                writer.close();
            }, "127.0.0.1", 0, TlsTesting.serverOptions().withParameters(p -> p.setNeedClientAuth(true)));
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server),
                    TlsOptions.of(TlsTesting.serverContext()).withServerHostname("localhost"));
            X509Certificate cert = peerCert.await();
            c.writer().close();
            server.close();
            return cert;
        });
        assertEquals(TlsTesting.material().certificate(), seen);
    }

    @Test
    void clientWithoutTheRequiredCertificateIsRejected() {
        SSLException e = run(() -> {
            int[] handled = {0};
            Server server = Asyncio.startServer((reader, writer) -> handled[0]++, "127.0.0.1", 0,
                    TlsTesting.serverOptions().withParameters(p -> p.setNeedClientAuth(true)));
            try {
                // TLS 1.3: the client's handshake ends before the server checks its certificate, so
                // the rejection arrives as the server's alert on the first read.
                StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
                SSLException thrown = assertThrows(SSLException.class, () -> c.reader().read(10));
                assertEquals(0, handled[0]);
                return thrown;
            } finally {
                server.close();
            }
        });
        assertTrue(e.getMessage().contains("certificate_required"), e.getMessage());
    }

    @Test
    void unixSocketConnectionsRunOverTls() throws IOException {
        Path dir = Files.createTempDirectory("jasyncio-tls");
        Path path = dir.resolve("s.sock");
        try {
            String reply = run(() -> {
                Server server = Asyncio.startUnixServer((reader, writer) -> {
                    writer.write(reader.readexactly(4));
                    writer.close();
                }, path, StreamReader.DEFAULT_LIMIT, ServerOptions.DEFAULT, TlsTesting.serverOptions());
                assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.openUnixConnection(path, 1024, TlsOptions.of(TlsTesting.clientContext())),
                        "a Unix connection has no host name to check");
                StreamConnection c = Asyncio.openUnixConnection(path, 1024, TlsTesting.clientOptions());
                c.writer().write(b("unix"));
                byte[] r = c.reader().readexactly(4);
                c.writer().close();
                server.close();
                server.waitClosed();
                return s(r);
            });
            assertEquals("unix", reply);
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    void badTlsArgumentsAreRejectedWithTheirNameAndValue() {
        run(() -> {
            IllegalArgumentException noContext = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0, TlsOptions.DEFAULT));
            assertEquals("Server side SSL needs a valid SSLContext", noContext.getMessage());
            IllegalArgumentException serverName = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0,
                            TlsTesting.serverOptions().withServerHostname("example.org")));
            assertTrue(serverName.getMessage().contains("example.org"), serverName.getMessage());
            IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.openConnection((String) null, 443, TlsOptions.DEFAULT));
            assertEquals("You must set serverHostname when using ssl without a host", noHost.getMessage());
            IllegalArgumentException emptyName = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.openConnection("127.0.0.1", 443, TlsOptions.DEFAULT.withServerHostname("")));
            assertTrue(emptyName.getMessage().startsWith("checkHostname requires a serverHostname"), emptyName.getMessage());
            return null;
        });
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.DEFAULT.withSslHandshakeTimeout(0));
        assertEquals("sslHandshakeTimeout should be a positive number, got 0.0", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.DEFAULT.withSslShutdownTimeout(java.time.Duration.ofSeconds(-10)));
        assertEquals("sslShutdownTimeout should be a positive duration, got PT-10S", negative.getMessage());
        IllegalArgumentException alpn = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.DEFAULT.withAlpnProtocols("h2", ""));
        assertEquals("ALPN protocols must be 1 to 255 bytes long: ''", alpn.getMessage());
    }

    @Test
    void writeEofIsNotSupportedOverTls() {
        run(() -> {
            Future<StreamConnection> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = tlsServerHandingOver(accepted, TlsTesting.serverOptions());
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server), TlsTesting.clientOptions());
            assertFalse(c.writer().canWriteEof());
            assertThrows(UnsupportedOperationException.class, c.writer()::writeEof);
            c.writer().close();
            accepted.await().writer().close();
            server.close();
            return null;
        });
    }

    @Test
    void debugModeReportsAServerSideHandshakeFailure() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> reported = loop.createFuture();
            loop.setExceptionHandler((l, context) -> {
                errors.add(new HashMap<>(context));
                if (!reported.done()) {
                    reported.setResult(null);
                }
            });
            loop.setDebug(true);
            Server server = Asyncio.startServer((reader, writer) -> writer.close(), "127.0.0.1", 0,
                    TlsTesting.serverOptions());
            assertThrows(SSLHandshakeException.class, () -> Asyncio.openConnection("127.0.0.1", port(server),
                    TlsOptions.DEFAULT.withServerHostname("localhost")));
            reported.await();
            server.close();
            return null;
        });
        assertEquals("Error on transport creation for incoming connection", errors.get(0).get("message"));
        assertInstanceOf(IOException.class, errors.get(0).get("exception"));
    }
}
