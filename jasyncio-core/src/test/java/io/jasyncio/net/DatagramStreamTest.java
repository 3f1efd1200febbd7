package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.DatagramTesting.ANY_LOOPBACK_PORT;
import static io.jasyncio.net.DatagramTesting.checkedSeq;
import static io.jasyncio.net.DatagramTesting.payload;
import static io.jasyncio.net.NetTesting.run;
import static io.jasyncio.net.NetTesting.runVirtual;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DatagramStream}: datagram endpoints used from tasks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramStreamTest {

    private static String s(Datagram d) {
        return new String(d.data(), US_ASCII);
    }

    /** A stream bound to any loopback port, answering every datagram with its bytes reversed-case "echo: ...". */
    private static DatagramStream echoServer() throws IOException {
        DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
        Asyncio.createTask(() -> {
            while (true) {
                Datagram d;
                try {
                    d = server.recv();
                } catch (SocketException closed) {
                    return null;
                }
                server.send(d.data(), d.address());
            }
        });
        return server;
    }

    @Test
    void sendAndRecvExchangeManyDatagramsWithAnEchoServer() {
        run(() -> {
            try (DatagramStream server = echoServer();
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                assertEquals(server.localAddress(), client.remoteAddress());
                for (int seq = 0; seq < 2000; seq++) {
                    client.send(payload(seq, 4 + seq % 1400));
                    Datagram reply = client.recv();
                    assertEquals(seq, checkedSeq(reply.data()));
                    assertEquals(server.localAddress(), reply.address());
                }
            }
            return null;
        });
    }

    @Test
    void recvSuspendsUntilADatagramArrives() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                Task<Datagram> waiting = Asyncio.createTask(server::recv);
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                assertFalse(waiting.done());
                client.send(b("wake up"));
                Datagram d = waiting.await();
                assertEquals("wake up", s(d));
                assertEquals(client.localAddress(), d.address());
            }
            return null;
        });
    }

    @Test
    void waitingReceiversGetDatagramsInTheOrderTheyStartedWaiting() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                List<Task<Datagram>> receivers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    receivers.add(Asyncio.createTask(server::recv));
                    Asyncio.sleep(0);
                }
                for (String word : List.of("one", "two", "three")) {
                    client.send(b(word));
                }
                assertEquals(List.of("one", "two", "three"),
                        List.of(s(receivers.get(0).await()), s(receivers.get(1).await()), s(receivers.get(2).await())));
            }
            return null;
        });
    }

    @Test
    void cancelledReceiverLosesNoDatagramTheNextReceiverGetsIt() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                Task<Datagram> first = Asyncio.createTask(server::recv);
                Asyncio.sleep(0);
                Task<Datagram> second = Asyncio.createTask(server::recv);
                Asyncio.sleep(0);
                client.send(b("only one"));
                // Cancel the first receiver in the same iteration in which the datagram wakes it.
                while (server.toString().contains("receivers=2")) {
                    Asyncio.sleep(0);
                }
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                assertEquals("only one", s(second.await()));
            }
            return null;
        });
    }

    @Test
    void closeLetsWaitingReceiversTakeWhatArrivedThenFails() {
        run(() -> {
            DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
            try (DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                client.send(b("before close"));
                while (!server.toString().contains("queued=1")) {
                    Asyncio.sleep(0);
                }
                Task<Datagram> late = Asyncio.createTask(() -> {
                    server.recv();
                    return server.recv();
                });
                Asyncio.sleep(0);
                server.close();
                assertTrue(server.isClosing());
                SocketException e = assertThrows(SocketException.class, late::await);
                assertEquals("the datagram stream is closed", e.getMessage());
                server.waitClosed();
                assertThrows(SocketException.class, server::recv);
                SocketException sendClosed = assertThrows(SocketException.class, () -> server.send(b("x"), client.localAddress()));
                assertEquals("the datagram stream is closed", sendClosed.getMessage());
            }
            return null;
        });
    }

    @Test
    void sendThrowsWhatTheSocketRefusesAtOnceAndTheStreamStaysUsable() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                SocketException e = assertThrows(SocketException.class, () -> client.send(new byte[70_000]));
                assertTrue(e.getMessage().startsWith("Cannot send a datagram of 70000 bytes"), e.getMessage());
                client.send(b("fine"));
                assertEquals("fine", s(server.recv()));
            }
            return null;
        });
    }

    @Test
    void recvThrowsPortUnreachableWhenTheConnectedPeerIsGoneAndTheStreamStaysOpen() {
        run(() -> {
            DatagramStream gone = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
            InetSocketAddress goneAddress = gone.localAddress();
            gone.close();
            gone.waitClosed();
            try (DatagramStream client = Asyncio.openDatagramEndpoint(null, goneAddress)) {
                client.send(b("hello?"));
                assertThrows(PortUnreachableException.class, client::recv);
                assertFalse(client.isClosing());
            }
            return null;
        });
    }

    @Test
    void streamStopsReadingWhileMaxQueuedDatagramsWaitAndResumesWhenHalfAreTaken() {
        run(() -> {
            DatagramStream server = Asyncio.openDatagramEndpoint(DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT), 4);
            try (server; DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                for (int seq = 0; seq < 6; seq++) {
                    client.send(payload(seq, 8));
                }
                while (server.transport().isReading()) {
                    Asyncio.sleep(0);
                }
                assertTrue(server.toString().contains("queued=4"), server.toString());
                assertEquals(0, checkedSeq(server.recv().data()));
                assertFalse(server.transport().isReading(), "3 waiting: more than half of 4");
                assertEquals(1, checkedSeq(server.recv().data()));
                assertTrue(server.transport().isReading(), "2 waiting: reading again");
                for (int seq = 2; seq < 6; seq++) {
                    assertEquals(seq, checkedSeq(server.recv().data()), "the kernel kept what arrived meanwhile");
                }
            }
            return null;
        });
    }

    @Test
    void sendSuspendsWhileTheTransportHasPausedWriting() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                client.pauseWriting();
                Task<Void> sending = Asyncio.createTask(() -> {
                    client.send(b("accepted at once"));
                    return null;
                });
                assertEquals("accepted at once", s(server.recv()));
                assertFalse(sending.done(), "send waits for resumeWriting");
                client.resumeWriting();
                sending.await();
            }
            return null;
        });
    }

    @Test
    void cancelledSendStillDeliversTheDatagramItHadAccepted() {
        run(() -> {
            try (DatagramStream server = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                client.pauseWriting();
                Task<Void> sending = Asyncio.createTask(() -> {
                    client.send(b("accepted"));
                    return null;
                });
                Asyncio.sleep(0);
                assertFalse(sending.done());
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                assertEquals("accepted", s(server.recv()));
                client.resumeWriting();
                client.send(b("after"));
                assertEquals("after", s(server.recv()));
            }
            return null;
        });
    }

    @Test
    void emptyDatagramsPassThroughAnUnconnectedStream() {
        run(() -> {
            try (DatagramStream a = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null);
                    DatagramStream z = Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null)) {
                a.send(new byte[0], z.localAddress());
                a.send(ByteBuffer.wrap(b("x")), z.localAddress());
                assertEquals(0, z.recv().data().length);
                assertEquals("x", s(z.recv()));
            }
            return null;
        });
    }

    @Test
    void maxQueuedMustBePositive() {
        runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.openDatagramEndpoint(DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT), 0));
            assertEquals("maxQueued must be positive: 0", e.getMessage());
            return null;
        });
    }

    @Test
    void openDatagramEndpointOutsideATaskIsRefused() {
        try (EventLoop loop = EventLoop.newEventLoop()) {
            assertThrows(IllegalStateException.class, () -> Asyncio.openDatagramEndpoint(ANY_LOOPBACK_PORT, null));
        }
    }

    @Test
    void aStreamServesOneEndpoint() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            DatagramStream stream = new DatagramStream();
            DatagramTransport first = EventLoop.running().createDatagramEndpoint(() -> stream, ANY_LOOPBACK_PORT, null)
                    .transport();
            DatagramTransport second = EventLoop.running().createDatagramEndpoint(() -> stream, ANY_LOOPBACK_PORT, null)
                    .transport();
            assertEquals(1, errors.size());
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, errors.get(0).get("exception"));
            assertEquals("a DatagramStream serves one endpoint", e.getMessage());
            assertSame(first, stream.transport());
            second.close();
            stream.close();
            return null;
        });
    }
}
