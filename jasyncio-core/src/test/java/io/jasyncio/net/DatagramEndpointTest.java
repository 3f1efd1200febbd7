package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.DatagramTesting.ANY_LOOPBACK_PORT;
import static io.jasyncio.net.DatagramTesting.checkedSeq;
import static io.jasyncio.net.DatagramTesting.payload;
import static io.jasyncio.net.DatagramTesting.sockname;
import static io.jasyncio.net.NetTesting.openDescriptors;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Datagram endpoints, transports and protocols over real loopback UDP sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramEndpointTest {
    private static final InetSocketAddress IPV4_BROADCAST_ON_LOOPBACK = new InetSocketAddress("127.255.255.255", 0);

    private static String s(Datagram d) {
        return new String(d.data(), US_ASCII);
    }

    /** A recording endpoint bound to {@code local}, echoing what it receives if {@code echo}. */
    private static RecordingDatagramProtocol bound(InetSocketAddress local, boolean echo) throws IOException {
        RecordingDatagramProtocol p = EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, local, null)
                .protocol();
        p.echo = echo;
        return p;
    }

    private static RecordingDatagramProtocol connectedTo(InetSocketAddress remote) throws IOException {
        return EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, null, remote).protocol();
    }

    /**
     * Sends {@code count} numbered datagrams of varying sizes from {@code client} to {@code server}
     * (null: the client's remote address), at most {@code window} unanswered at a time so that
     * loopback never overflows a receive buffer, and checks that every echo is intact.
     */
    private static void echoMany(RecordingDatagramProtocol client, SocketAddress server, int count, int window,
            int maxSize) {
        BitSet seen = new BitSet(count);
        int sent = 0;
        while (sent < count) {
            int batchEnd = Math.min(count, sent + window);
            for (int seq = sent; seq < batchEnd; seq++) {
                client.transport.sendto(payload(seq, 4 + (seq * 7919) % (maxSize - 3)), server);
            }
            sent = batchEnd;
            client.awaitDatagrams(sent);
        }
        for (Datagram d : client.received) {
            int seq = checkedSeq(d.data());
            assertTrue(seq >= 0, "an echo came back corrupted: " + d);
            assertFalse(seen.get(seq), "datagram " + seq + " came back twice");
            seen.set(seq);
        }
        assertEquals(count, seen.cardinality());
        assertEquals(List.of(), client.errors);
    }

    // ---------------------------------------------------------------- the endpoint

    @Test
    void connectionMadeHasRunWhenCreateDatagramEndpointReturns() {
        run(() -> {
            DatagramEndpoint<RecordingDatagramProtocol> e = EventLoop.running()
                    .createDatagramEndpoint(RecordingDatagramProtocol::new, ANY_LOOPBACK_PORT, null);
            assertEquals(List.of("made"), e.protocol().events);
            assertSame(e.transport(), e.protocol().transport);
            assertTrue(e.transport().isReading());
            e.transport().close();
            return null;
        });
    }

    @Test
    void echoOfManyDatagramsDeliversEveryPayloadIntact() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            RecordingDatagramProtocol client = bound(ANY_LOOPBACK_PORT, false);
            echoMany(client, sockname(server.transport), 5000, 64, 1500);
            assertEquals(5000, server.received.size());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void connectedEndpointExchangesDatagramsWithItsRemoteAddress() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            RecordingDatagramProtocol client = connectedTo(sockname(server.transport));
            echoMany(client, null, 500, 8, 9000);
            for (Datagram d : client.received) {
                assertEquals(sockname(server.transport), d.address());
            }
            assertEquals(sockname(client.transport), server.received.get(0).address());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void extraInfoGivesSocknamePeernameAndTheSocket() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress serverAddress = sockname(server.transport);
            assertEquals(InetAddress.getByName("127.0.0.1"), serverAddress.getAddress());
            assertNotEquals(0, serverAddress.getPort());
            assertNull(server.transport.getExtraInfo("peername"));
            RecordingDatagramProtocol client = connectedTo(serverAddress);
            assertEquals(serverAddress, client.transport.getExtraInfo("peername"));
            TransportSocket socket = (TransportSocket) client.transport.getExtraInfo("socket");
            assertEquals(serverAddress, socket.getRemoteAddress());
            assertEquals(sockname(client.transport), socket.getLocalAddress());
            assertEquals(StandardProtocolFamily.INET, socket.family());
            assertEquals("fallback", client.transport.getExtraInfo("no such thing", "fallback"));
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void connectedEndpointRefusesSendtoAnotherAddress() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress serverAddress = sockname(server.transport);
            RecordingDatagramProtocol client = connectedTo(serverAddress);
            InetSocketAddress other = new InetSocketAddress("127.0.0.1", serverAddress.getPort() == 9 ? 10 : 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.transport.sendto(b("x"), other));
            assertEquals("Invalid address: must be null or 127.0.0.1:" + serverAddress.getPort()
                    + ", the endpoint's remote address: " + "127.0.0.1:" + other.getPort(), e.getMessage());
            client.transport.sendto(b("to the remote address"), serverAddress);
            client.transport.sendto(b("to the default"));
            List<Datagram> got = server.awaitDatagrams(2);
            assertEquals("to the remote address", s(got.get(0)));
            assertEquals("to the default", s(got.get(1)));
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void sendtoWithoutAnAddressOnAnUnconnectedEndpointIsRefused() {
        run(() -> {
            RecordingDatagramProtocol p = bound(ANY_LOOPBACK_PORT, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.transport.sendto(b("x")));
            assertEquals("addr must not be null: the endpoint has no remote address", e.getMessage());
            p.transport.close();
            return null;
        });
    }

    @Test
    void sendtoAnUnresolvedAddressIsRefusedRatherThanBlockingTheLoop() {
        run(() -> {
            RecordingDatagramProtocol p = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.transport.sendto(b("x"), unresolved));
            assertTrue(e.getMessage().startsWith("addr must be a resolved address"), e.getMessage());
            assertTrue(e.getMessage().contains("localhost"), e.getMessage());
            p.transport.close();
            return null;
        });
    }

    @Test
    void sendtoAnAddressTheSocketCannotReachIsRefusedNamingIt() {
        run(() -> {
            RecordingDatagramProtocol p = bound(ANY_LOOPBACK_PORT, false);
            IllegalArgumentException v6 = assertThrows(IllegalArgumentException.class,
                    () -> p.transport.sendto(b("x"), new InetSocketAddress("::1", 9)));
            assertEquals("addr must be an IPv4 address, the endpoint's socket is IPv4: [0:0:0:0:0:0:0:1]:9",
                    v6.getMessage());
            IllegalArgumentException unix = assertThrows(IllegalArgumentException.class,
                    () -> p.transport.sendto(b("x"), java.net.UnixDomainSocketAddress.of("/tmp/x")));
            assertEquals("addr must be an InetSocketAddress: /tmp/x", unix.getMessage());
            assertFalse(p.transport.isClosing());
            p.transport.close();
            return null;
        });
    }

    @Test
    void unexpectedFailureOfTheSocketIsFatalAsInAsyncio() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            // An unbound IPv4 channel: the transport cannot know its family, the JDK refuses IPv6.
            DatagramChannel sock = DatagramChannel.open(StandardProtocolFamily.INET);
            RecordingDatagramProtocol p = EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, sock)
                    .protocol();
            p.transport.sendto(b("x"), new InetSocketAddress("::1", 9));
            Throwable lost = p.lost.await();
            assertInstanceOf(java.nio.channels.UnsupportedAddressTypeException.class, lost);
            assertEquals("Fatal write error on datagram transport", errors.get(0).get("message"));
            assertSame(lost, errors.get(0).get("exception"));
            assertEquals(List.of("made", "lost"), p.events);
            return null;
        });
    }

    @Test
    void remoteAddrGivenByNameIsResolvedOffTheLoop() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            DatagramEndpoint<RecordingDatagramProtocol> e = EventLoop.running().createDatagramEndpoint(
                    RecordingDatagramProtocol::new,
                    DatagramOptions.DEFAULT.withRemoteAddr("localhost", sockname(server.transport).getPort())
                            .withFamily(StandardProtocolFamily.INET));
            e.transport().sendto(b("by name"));
            assertEquals("by name", s(e.protocol().awaitDatagrams(1).get(0)));
            e.transport().close();
            server.transport.close();
            return null;
        });
    }

    // ---------------------------------------------------------------- sizes

    @Test
    void emptyDatagramsAreSentAndReceived() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            RecordingDatagramProtocol client = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress to = sockname(server.transport);
            client.transport.sendto(new byte[0], to);
            client.transport.sendto(b("between"), to);
            client.transport.sendto(ByteBuffer.allocate(0), to);
            List<Datagram> got = client.awaitDatagrams(3);
            assertEquals(List.of(0, 7, 0), got.stream().map(d -> d.data().length).toList());
            assertEquals(List.of(), client.errors);
            assertEquals(0, client.transport.getWriteBufferSize());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void connectedEndpointReceivesEmptyDatagramsButCannotSendThem() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            RecordingDatagramProtocol client = connectedTo(sockname(server.transport));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> client.transport.sendto(new byte[0]));
            assertTrue(e.getMessage().startsWith("an empty datagram cannot be sent on a connected endpoint"),
                    e.getMessage());
            server.transport.sendto(new byte[0], sockname(client.transport));
            assertEquals(0, client.awaitDatagrams(1).get(0).data().length);
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void datagramAtTheIpv4SizeLimitArrivesWhole() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            RecordingDatagramProtocol client = bound(ANY_LOOPBACK_PORT, false);
            byte[] largest = payload(65_507, 65_507);
            client.transport.sendto(largest, sockname(server.transport));
            Datagram d = server.awaitDatagrams(1).get(0);
            assertEquals(65_507, d.data().length);
            assertEquals(65_507, checkedSeq(d.data()));
            assertEquals(List.of(), client.errors);
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void datagramOverTheIpv4SizeLimitIsReportedToErrorReceivedNamingItsSize() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            RecordingDatagramProtocol client = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress to = sockname(server.transport);
            client.transport.sendto(new byte[65_508], to);
            assertEquals(1, client.errors.size(), "reported before sendto returns");
            IOException e = client.errors.get(0);
            assertInstanceOf(SocketException.class, e);
            assertEquals("Cannot send a datagram of 65508 bytes (more than the 65507 bytes a UDP datagram can carry "
                    + "over IPv4) to 127.0.0.1:" + to.getPort() + ": Message too long", e.getMessage());
            assertEquals(List.of("made", "error"), client.events);
            assertFalse(client.transport.isClosing());
            client.transport.sendto(b("still works"), to);
            assertEquals("still works", s(server.awaitDatagrams(1).get(0)));
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    // ---------------------------------------------------------------- errors

    @Test
    void errorReceivedReportsPortUnreachableWhenTheConnectedPeerIsGone() {
        run(() -> {
            RecordingDatagramProtocol gone = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress goneAddress = sockname(gone.transport);
            gone.transport.close();
            gone.lost.await();
            RecordingDatagramProtocol client = connectedTo(goneAddress);
            client.transport.sendto(b("anyone there?"));
            IOException e = client.awaitError();
            assertInstanceOf(PortUnreachableException.class, e);
            assertFalse(client.transport.isClosing(), "an ICMP error does not close the endpoint");
            assertEquals(List.of("made", "error"), client.events);
            client.transport.close();
            assertNull(client.lost.await());
            return null;
        });
    }

    @Test
    void exceptionFromDatagramReceivedGoesToTheExceptionHandlerAndTheEndpointKeepsReceiving() {
        List<Map<String, Object>> errors = new ArrayList<>();
        run(errors, () -> {
            RuntimeException boom = new IllegalStateException("boom");
            List<String> got = new ArrayList<>();
            DatagramEndpoint<DatagramProtocol> server = EventLoop.running().createDatagramEndpoint(
                    () -> new DatagramProtocol() {
                        @Override
                        public void datagramReceived(ByteBuffer data, SocketAddress addr) {
                            String text = US_ASCII.decode(data).toString();
                            got.add(text);
                            if (text.equals("first")) {
                                throw boom;
                            }
                        }
                    }, ANY_LOOPBACK_PORT, null);
            RecordingDatagramProtocol client = connectedTo(sockname(server.transport()));
            client.transport.sendto(b("first"));
            while (errors.isEmpty()) {
                Asyncio.sleep(0.001);
            }
            client.transport.sendto(b("second"));
            while (got.size() < 2) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of("first", "second"), got);
            assertSame(boom, errors.get(0).get("exception"));
            assertFalse(server.transport().isClosing());
            client.transport.close();
            server.transport().close();
            return null;
        });
    }

    // ---------------------------------------------------------------- broadcast

    @Test
    void allowBroadcastSetsSoBroadcastAndIsOffByDefault() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            DatagramEndpoint<RecordingDatagramProtocol> off = loop.createDatagramEndpoint(RecordingDatagramProtocol::new,
                    DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT));
            DatagramEndpoint<RecordingDatagramProtocol> on = loop.createDatagramEndpoint(RecordingDatagramProtocol::new,
                    DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT).withAllowBroadcast(true));
            assertFalse(((TransportSocket) off.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_BROADCAST));
            assertTrue(((TransportSocket) on.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_BROADCAST));
            off.transport().close();
            on.transport().close();
            return null;
        });
    }

    @Test
    void broadcastIsRefusedWithoutAllowBroadcastAndDeliveredWithIt() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "needs Linux, whose loopback interface routes 127.255.255.255 as its broadcast address");
        run(() -> {
            EventLoop loop = EventLoop.running();
            // Broadcasts reach sockets bound to the wildcard address, not to 127.0.0.1.
            RecordingDatagramProtocol listener = bound(new InetSocketAddress("0.0.0.0", 0), false);
            InetSocketAddress broadcast = new InetSocketAddress(IPV4_BROADCAST_ON_LOOPBACK.getAddress(),
                    sockname(listener.transport).getPort());
            RecordingDatagramProtocol off = bound(ANY_LOOPBACK_PORT, false);
            off.transport.sendto(b("refused"), broadcast);
            IOException refused = off.awaitError();
            assertTrue(refused.getMessage().contains("Permission denied"), refused.getMessage());
            assertTrue(refused.getMessage().contains("127.255.255.255:" + broadcast.getPort()), refused.getMessage());
            DatagramEndpoint<RecordingDatagramProtocol> on = loop.createDatagramEndpoint(RecordingDatagramProtocol::new,
                    DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT).withAllowBroadcast(true));
            on.transport().sendto(b("to everyone"), broadcast);
            Datagram d = listener.awaitDatagrams(1).get(0);
            assertEquals("to everyone", s(d));
            assertEquals(sockname(on.transport()), d.address());
            assertEquals(List.of(), on.protocol().errors);
            listener.transport.close();
            off.transport.close();
            on.transport().close();
            return null;
        });
    }

    @Test
    void allowBroadcastWithARemoteAddrLeavesTheSocketUnconnectedButKeepsTheDefaultDestination() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            InetSocketAddress serverAddress = sockname(server.transport);
            DatagramEndpoint<RecordingDatagramProtocol> e = EventLoop.running().createDatagramEndpoint(
                    RecordingDatagramProtocol::new,
                    DatagramOptions.DEFAULT.withRemoteAddr(serverAddress).withAllowBroadcast(true));
            assertNull(e.transport().getExtraInfo("peername"));
            assertThrows(IllegalArgumentException.class,
                    () -> e.transport().sendto(b("x"), new InetSocketAddress("127.0.0.1", 9)));
            e.transport().sendto(b("default destination"));
            assertEquals("default destination", s(e.protocol().awaitDatagrams(1).get(0)));
            e.transport().close();
            server.transport.close();
            return null;
        });
    }

    // ---------------------------------------------------------------- IPv6

    @Test
    void ipv6LoopbackEchoesDatagramsUpToTheIpv6SizeLimit() {
        Assumptions.assumeTrue(DatagramTesting.hasIpv6Loopback(),
                "this machine has no IPv6 loopback: a UDP socket cannot be bound to ::1");
        run(() -> {
            InetSocketAddress any6 = new InetSocketAddress("::1", 0);
            RecordingDatagramProtocol server = bound(any6, true);
            RecordingDatagramProtocol client = connectedTo(sockname(server.transport));
            TransportSocket socket = (TransportSocket) client.transport.getExtraInfo("socket");
            assertEquals(StandardProtocolFamily.INET6, socket.family());
            echoMany(client, null, 200, 16, 1500);
            client.transport.sendto(payload(65_527, 65_527));
            Datagram largest = client.awaitDatagrams(201).get(200);
            assertEquals(65_527, checkedSeq(largest.data()));
            client.transport.sendto(new byte[65_528]);
            assertTrue(client.awaitError().getMessage().startsWith("Cannot send a datagram of 65528 bytes (more than "
                    + "the 65527 bytes a UDP datagram can carry over IPv6) to [0:0:0:0:0:0:0:1]:"),
                    client.errors.get(0).getMessage());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    // ---------------------------------------------------------------- options and arguments

    @Test
    void neitherAddressNorFamilyIsRefused() {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, DatagramOptions.DEFAULT));
            assertEquals("unexpected address family: give family when neither localAddr nor remoteAddr is given",
                    e.getMessage());
            return null;
        });
    }

    @Test
    void familyAloneMakesAnUnboundEndpointThatBindsWhenItFirstSends() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            DatagramEndpoint<RecordingDatagramProtocol> e = EventLoop.running().createDatagramEndpoint(
                    RecordingDatagramProtocol::new, DatagramOptions.DEFAULT.withFamily(StandardProtocolFamily.INET));
            assertNull(e.transport().getExtraInfo("sockname"));
            e.transport().sendto(b("hello"), sockname(server.transport));
            assertEquals("hello", s(e.protocol().awaitDatagrams(1).get(0)));
            e.transport().close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void unixFamilyIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatagramOptions.DEFAULT.withFamily(StandardProtocolFamily.UNIX));
        assertEquals("family must be INET, INET6 or null: UNIX", e.getMessage());
    }

    @Test
    void addressesWithNoFamilyInCommonAreRefused() {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new,
                            new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 9)));
            assertTrue(e.getMessage().startsWith("can not get address information"), e.getMessage());
            return null;
        });
    }

    @Test
    void addressOfAnotherFamilyThanTheOneAskedForIsRefused() {
        run(() -> {
            java.net.UnknownHostException e = assertThrows(java.net.UnknownHostException.class,
                    () -> EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new,
                            DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT).withFamily(StandardProtocolFamily.INET6)));
            assertEquals("127.0.0.1:0 is not an address of family INET6", e.getMessage());
            return null;
        });
    }

    @Test
    void bindFailureNamesTheAddress() {
        run(() -> {
            RecordingDatagramProtocol taken = bound(ANY_LOOPBACK_PORT, false);
            InetSocketAddress address = sockname(taken.transport);
            java.net.BindException e = assertThrows(java.net.BindException.class,
                    () -> EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, address, null));
            assertTrue(e.getMessage().startsWith("error while attempting to bind on address 127.0.0.1:" + address.getPort()),
                    e.getMessage());
            taken.transport.close();
            return null;
        });
    }

    @Test
    void reusePortLetsTwoEndpointsBindTheSamePort() {
        run(() -> {
            EventLoop loop = EventLoop.running();
            DatagramOptions reuse = DatagramOptions.DEFAULT.withLocalAddr(ANY_LOOPBACK_PORT).withReusePort(true);
            DatagramEndpoint<RecordingDatagramProtocol> first = loop.createDatagramEndpoint(RecordingDatagramProtocol::new, reuse);
            InetSocketAddress address = sockname(first.transport());
            DatagramEndpoint<RecordingDatagramProtocol> second = loop.createDatagramEndpoint(RecordingDatagramProtocol::new,
                    reuse.withLocalAddr(address));
            assertEquals(address, sockname(second.transport()));
            assertTrue(((TransportSocket) second.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_REUSEPORT));
            first.transport().close();
            second.transport().close();
            return null;
        });
    }

    @Test
    void endpointOverAnExistingSocketTakesItsRemoteAddressFromItsPeer() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, true);
            DatagramChannel sock = DatagramChannel.open(StandardProtocolFamily.INET);
            sock.connect(sockname(server.transport));
            DatagramEndpoint<RecordingDatagramProtocol> e = EventLoop.running()
                    .createDatagramEndpoint(RecordingDatagramProtocol::new, sock);
            assertFalse(sock.isBlocking());
            assertEquals(sockname(server.transport), e.transport().getExtraInfo("peername"));
            assertThrows(IllegalArgumentException.class,
                    () -> e.transport().sendto(b("x"), new InetSocketAddress("127.0.0.1", 9)));
            e.transport().sendto(b("over my socket"));
            assertEquals("over my socket", s(e.protocol().awaitDatagrams(1).get(0)));
            IllegalStateException owned = assertThrows(IllegalStateException.class,
                    () -> EventLoop.running().createDatagramEndpoint(RecordingDatagramProtocol::new, sock));
            assertTrue(owned.getMessage().contains("is used by transport"), owned.getMessage());
            e.transport().close();
            e.protocol().lost.await();
            assertFalse(sock.isOpen(), "the transport owns the socket and closes it");
            server.transport.close();
            return null;
        });
    }

    @Test
    void setProtocolRefusesAStreamProtocol() {
        run(() -> {
            RecordingDatagramProtocol p = bound(ANY_LOOPBACK_PORT, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.transport.setProtocol(new RecordingProtocol()));
            assertTrue(e.getMessage().startsWith("protocol must be a DatagramProtocol"), e.getMessage());
            assertSame(p, p.transport.getProtocol());
            p.transport.close();
            return null;
        });
    }

    @Test
    void cancelledWhileCreatingLeavesNoSocketOpen() {
        run(() -> {
            bound(ANY_LOOPBACK_PORT, false).transport.close();
            Asyncio.sleep(0);
            long before = openDescriptors();
            List<RecordingDatagramProtocol> made = new ArrayList<>();
            Task<DatagramEndpoint<RecordingDatagramProtocol>> t = Asyncio.createTask(
                    () -> EventLoop.running().createDatagramEndpoint(() -> {
                        RecordingDatagramProtocol p = new RecordingDatagramProtocol();
                        made.add(p);
                        return p;
                    }, ANY_LOOPBACK_PORT, null));
            Asyncio.sleep(0);
            assertEquals(1, made.size(), "the task is waiting for connectionMade");
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertNull(made.get(0).lost.await());
            assertEquals(List.of("made", "lost"), made.get(0).events);
            assertEquals(before, openDescriptors());
            return null;
        });
    }

    // ---------------------------------------------------------------- reading and closing

    @Test
    void pausedReadingLeavesDatagramsInTheKernelUntilResumed() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            RecordingDatagramProtocol client = connectedTo(sockname(server.transport));
            server.transport.pauseReading();
            assertFalse(server.transport.isReading());
            for (int i = 0; i < 3; i++) {
                client.transport.sendto(payload(i, 100));
            }
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(List.of(), server.received);
            server.transport.resumeReading();
            assertTrue(server.transport.isReading());
            List<Datagram> got = server.awaitDatagrams(3);
            assertEquals(List.of(0, 1, 2), got.stream().map(d -> checkedSeq(d.data())).toList());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void connectionLostIsCalledExactlyOnceWhateverClosesTheTransport() {
        run(() -> {
            RecordingDatagramProtocol p = bound(ANY_LOOPBACK_PORT, false);
            DatagramTransport t = p.transport;
            t.close();
            t.abort();
            t.close();
            assertTrue(t.isClosing());
            assertFalse(t.isReading());
            assertNull(p.lost.await());
            Asyncio.sleep(0);
            assertEquals(List.of("made", "lost"), p.events);
            TransportSocket socket = (TransportSocket) t.getExtraInfo("socket");
            assertFalse(socket.isOpen());
            return null;
        });
    }

    @Test
    void sendtoAfterCloseIsDroppedWithoutAnError() {
        run(() -> {
            RecordingDatagramProtocol server = bound(ANY_LOOPBACK_PORT, false);
            RecordingDatagramProtocol client = bound(ANY_LOOPBACK_PORT, false);
            client.transport.close();
            client.lost.await();
            for (int i = 0; i < 3; i++) {
                client.transport.sendto(b("too late"), sockname(server.transport));
            }
            assertEquals(List.of(), client.errors);
            assertEquals(0, client.transport.getWriteBufferSize());
            server.transport.sendto(b("marker"), sockname(server.transport));
            assertEquals(List.of("marker"), server.awaitDatagrams(1).stream().map(d -> s(d)).toList());
            server.transport.close();
            return null;
        });
    }
}
