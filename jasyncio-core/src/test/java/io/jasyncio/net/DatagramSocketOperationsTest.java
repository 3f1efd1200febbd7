package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.DatagramTesting.ANY_LOOPBACK_PORT;
import static io.jasyncio.net.DatagramTesting.checkedSeq;
import static io.jasyncio.net.DatagramTesting.payload;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's datagram socket operations: sockSendto, sockRecvfrom, sockRecvfromInto (asyncio 3.11). */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramSocketOperationsTest {

    /** A non-blocking UDP socket bound to any loopback port. */
    private static DatagramChannel socket() throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.configureBlocking(false);
        c.bind(ANY_LOOPBACK_PORT);
        return c;
    }

    private static InetSocketAddress address(DatagramChannel c) throws IOException {
        return (InetSocketAddress) c.getLocalAddress();
    }

    @Test
    void sockSendtoAndSockRecvfromExchangeDatagrams() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                for (int seq = 0; seq < 200; seq++) {
                    assertEquals(100 + seq, loop.sockSendto(a, payload(seq, 100 + seq), address(z)));
                    Datagram d = loop.sockRecvfrom(z, 65_536);
                    assertEquals(seq, checkedSeq(d.data()));
                    assertEquals(address(a), d.address());
                }
            }
            return null;
        });
    }

    @Test
    void sockRecvfromSuspendsUntilADatagramArrives() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                Task<Datagram> waiting = Asyncio.createTask(() -> loop.sockRecvfrom(z, 100));
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                assertFalse(waiting.done());
                loop.sockSendto(a, b("now"), address(z));
                assertEquals("now", new String(waiting.await().data(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void sockRecvfromTruncatesToBufsizeAndDropsTheRestLikeRecvfrom() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                loop.sockSendto(a, b("abcdef"), address(z));
                loop.sockSendto(a, b("next"), address(z));
                assertEquals("abc", new String(loop.sockRecvfrom(z, 3).data(), US_ASCII));
                assertEquals("next", new String(loop.sockRecvfrom(z, 3 + 10).data(), US_ASCII));
                loop.sockSendto(a, b("gone"), address(z));
                Datagram none = loop.sockRecvfrom(z, 0);
                assertEquals(0, none.data().length, "a bufsize of 0 takes the datagram and none of its bytes");
            }
            return null;
        });
    }

    @Test
    void sockRecvfromIntoFillsTheBufferAndReturnsTheSender() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                ByteBuffer buf = ByteBuffer.allocate(16);
                buf.put(b("pre"));
                loop.sockSendto(a, ByteBuffer.wrap(b("payload")), address(z));
                SocketAddress from = loop.sockRecvfromInto(z, buf);
                assertEquals(address(a), from);
                assertEquals(3 + 7, buf.position());
                assertEquals("prepayload", new String(buf.array(), 0, buf.position(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void emptyDatagramGoesThroughSockSendtoAndSockRecvfrom() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                assertEquals(0, loop.sockSendto(a, new byte[0], address(z)));
                loop.sockSendto(a, b("after"), address(z));
                assertEquals(0, loop.sockRecvfrom(z, 10).data().length);
                assertEquals("after", new String(loop.sockRecvfrom(z, 10).data(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void sockSendtoResolvesAnUnresolvedAddress() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                loop.sockSendto(a, b("by name"), InetSocketAddress.createUnresolved("127.0.0.1", address(z).getPort()));
                assertEquals("by name", new String(loop.sockRecvfrom(z, 10).data(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void sockSendtoOfATooLongDatagramNamesItsSize() {
        run(() -> {
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                SocketException e = assertThrows(SocketException.class,
                        () -> EventLoop.running().sockSendto(a, new byte[65_508], address(z)));
                assertTrue(e.getMessage().startsWith("Cannot send a datagram of 65508 bytes (more than the 65507 bytes"),
                        e.getMessage());
            }
            return null;
        });
    }

    @Test
    void connectedSocketSendsOnlyToItsPeerAndNoEmptyDatagram() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                a.connect(address(z));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendto(a, b("x"), new InetSocketAddress("127.0.0.1", 9)));
                assertEquals("address must be the address the socket is connected to, 127.0.0.1:"
                        + address(z).getPort() + ": 127.0.0.1:9", e.getMessage());
                assertThrows(UnsupportedOperationException.class, () -> loop.sockSendto(a, new byte[0], address(z)));
                assertEquals(2, loop.sockSendto(a, b("ok"), address(z)));
                assertEquals("ok", new String(loop.sockRecvfrom(z, 10).data(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void sockRecvfromOnAConnectedSocketWhosePeerIsGoneThrowsPortUnreachable() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            InetSocketAddress gone;
            try (DatagramChannel z = socket()) {
                gone = address(z);
            }
            try (DatagramChannel a = socket()) {
                a.connect(gone);
                loop.sockSendto(a, b("hello?"), gone);
                assertThrows(PortUnreachableException.class, () -> loop.sockRecvfrom(a, 10));
            }
            return null;
        });
    }

    @Test
    void cancelledSockRecvfromTakesNoDatagram() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                Task<Datagram> waiting = Asyncio.createTask(() -> loop.sockRecvfrom(z, 10));
                Asyncio.sleep(0);
                waiting.cancel();
                assertThrows(CancelledError.class, waiting::await);
                loop.sockSendto(a, b("kept"), address(z));
                assertEquals("kept", new String(loop.sockRecvfrom(z, 10).data(), US_ASCII));
            }
            return null;
        });
    }

    @Test
    void cancelledSockSendtoThatWasWaitingForTheSocketSendsNothing() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel a = socket(); DatagramChannel z = socket()) {
                // An empty datagram waits for the socket to be reported writable before it is sent.
                Task<Integer> sending = Asyncio.createTask(() -> loop.sockSendto(a, new byte[0], address(z)));
                Asyncio.sleep(0);
                assertFalse(sending.done());
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                loop.sockSendto(a, b("marker"), address(z));
                assertEquals("marker", new String(loop.sockRecvfrom(z, 10).data(), US_ASCII),
                        "the cancelled empty datagram was not sent");
            }
            return null;
        });
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            try (DatagramChannel z = socket(); DatagramChannel blocking = DatagramChannel.open()) {
                IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfrom(z, -1));
                assertEquals("negative buffersize in recvfrom: -1", negative.getMessage());
                IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockRecvfrom(blocking, 10));
                assertTrue(mode.getMessage().startsWith("the socket must be non-blocking"), mode.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.sockSendto(blocking, b("x"), address(z)));
                assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfromInto(blocking, ByteBuffer.allocate(1)));
            }
            return null;
        });
    }

    @Test
    void socketOperationsRefuseASocketThatATransportUses() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            DatagramChannel z = socket();
            DatagramEndpoint<RecordingDatagramProtocol> e = loop.createDatagramEndpoint(RecordingDatagramProtocol::new, z);
            IllegalStateException used = assertThrows(IllegalStateException.class, () -> loop.sockRecvfrom(z, 10));
            assertTrue(used.getMessage().contains("is used by transport"), used.getMessage());
            e.transport().close();
            return null;
        });
    }
}
