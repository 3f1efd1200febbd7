package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.internal.net.DatagramTestHooks.refuseSends;
import static io.jasyncio.net.DatagramTesting.ANY_LOOPBACK_PORT;
import static io.jasyncio.net.DatagramTesting.checkedSeq;
import static io.jasyncio.net.DatagramTesting.kernelDrops;
import static io.jasyncio.net.DatagramTesting.payload;
import static io.jasyncio.net.DatagramTesting.sockname;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Datagrams that wait in the transport, flow control, and floods. On Linux a UDP socket sending
 * over loopback never runs out of buffer space, so the tests that need the socket to refuse a
 * datagram make it do so with the transport's test hook ({@code DatagramTestHooks.refuseSends});
 * the datagrams then wait and go out through the real socket to a real receiver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramFlowControlTest {

    private record Pair(RecordingDatagramProtocol client, RecordingDatagramProtocol server) {
        DatagramTransport t() {
            return client.transport;
        }

        void close() {
            client.transport.close();
            server.transport.close();
        }
    }

    /** A client connected to a server, both on the running loop. */
    private static Pair pair() throws IOException {
        EventLoop loop = EventLoop.running();
        RecordingDatagramProtocol server = loop.createDatagramEndpoint(RecordingDatagramProtocol::new, ANY_LOOPBACK_PORT, null)
                .protocol();
        RecordingDatagramProtocol client = loop.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                sockname(server.transport)).protocol();
        return new Pair(client, server);
    }

    @Test
    void datagramsRefusedByAFullSocketWaitInOrderAndGoOutWhenItIsWritable() {
        run(() -> {
            Pair p = pair();
            refuseSends(p.t(), 3);
            for (int seq = 0; seq < 5; seq++) {
                p.t().sendto(payload(seq, 10 * (seq + 1)));
            }
            assertEquals((10 + 8) + (20 + 8) + (30 + 8) + (40 + 8) + (50 + 8), p.t().getWriteBufferSize(),
                    "each waiting datagram counts as its length plus 8");
            List<Datagram> got = p.server.awaitDatagrams(5);
            assertEquals(List.of(0, 1, 2, 3, 4), got.stream().map(d -> checkedSeq(d.data())).toList());
            assertEquals(0, p.t().getWriteBufferSize());
            assertEquals(List.of(), p.client.errors);
            p.close();
            return null;
        });
    }

    @Test
    void emptyDatagramWaitsUntilTheSocketIsWritableAndKeepsItsPlace() {
        run(() -> {
            RecordingDatagramProtocol server = EventLoop.running()
                    .createDatagramEndpoint(RecordingDatagramProtocol::new, ANY_LOOPBACK_PORT, null).protocol();
            RecordingDatagramProtocol client = EventLoop.running()
                    .createDatagramEndpoint(RecordingDatagramProtocol::new, ANY_LOOPBACK_PORT, null).protocol();
            InetSocketAddress to = sockname(server.transport);
            client.transport.sendto(new byte[0], to);
            assertEquals(8, client.transport.getWriteBufferSize());
            client.transport.sendto(b("after"), to);
            assertEquals(8 + 5 + 8, client.transport.getWriteBufferSize());
            List<Datagram> got = server.awaitDatagrams(2);
            assertEquals(List.of("", "after"), got.stream().map(d -> new String(d.data(), US_ASCII)).toList());
            assertEquals(0, client.transport.getWriteBufferSize());
            client.transport.close();
            server.transport.close();
            return null;
        });
    }

    @Test
    void protocolIsPausedAboveTheHighWaterMarkAndResumedAtTheLowWaterMark() {
        run(() -> {
            Pair p = pair();
            p.t().setWriteBufferLimits(100, 40);
            assertEquals(new WriteBufferLimits(40, 100), p.t().getWriteBufferLimits());
            refuseSends(p.t(), 1);
            p.t().sendto(new byte[50]);
            assertEquals(List.of("made"), p.client.events, "58 bytes waiting: not over 100");
            p.t().sendto(new byte[50]);
            assertEquals(List.of("made", "pause"), p.client.events, "116 bytes waiting: over 100");
            p.t().sendto(new byte[50]);
            assertEquals(List.of("made", "pause"), p.client.events, "paused once");
            p.server.awaitDatagrams(3);
            assertEquals(List.of("made", "pause", "resume"), p.client.events);
            assertEquals(0, p.t().getWriteBufferSize());
            p.close();
            return null;
        });
    }

    @Test
    void loweringTheLimitsBelowWhatWaitsPausesAtOnce() {
        run(() -> {
            Pair p = pair();
            refuseSends(p.t(), 1);
            p.t().sendto(new byte[100]);
            assertEquals(List.of("made"), p.client.events);
            p.t().setWriteBufferLimits(50, null);
            assertEquals(List.of("made", "pause"), p.client.events);
            assertEquals(new WriteBufferLimits(12, 50), p.t().getWriteBufferLimits());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.t().setWriteBufferLimits(10, 20));
            assertEquals("high (10) must be >= low (20) must be >= 0", e.getMessage());
            p.server.awaitDatagrams(1);
            p.close();
            return null;
        });
    }

    @Test
    void closeSendsTheWaitingDatagramsBeforeConnectionLost() {
        run(() -> {
            Pair p = pair();
            refuseSends(p.t(), 1);
            for (int seq = 0; seq < 10; seq++) {
                p.t().sendto(payload(seq, 200));
            }
            p.t().close();
            assertTrue(p.t().isClosing());
            assertNull(p.client.lost.await());
            assertEquals(List.of("made", "lost"), p.client.events);
            List<Datagram> got = p.server.awaitDatagrams(10);
            assertEquals(10, got.size());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got.stream().map(d -> checkedSeq(d.data())).toList());
            p.server.transport.close();
            return null;
        });
    }

    @Test
    void abortDropsTheWaitingDatagrams() {
        run(() -> {
            Pair p = pair();
            refuseSends(p.t(), 1);
            p.t().sendto(b("dropped"));
            p.t().abort();
            assertEquals(0, p.t().getWriteBufferSize());
            assertNull(p.client.lost.await());
            // Proof that nothing is on its way: a datagram sent afterwards arrives first.
            RecordingDatagramProtocol other = EventLoop.running()
                    .createDatagramEndpoint(RecordingDatagramProtocol::new, null, sockname(p.server.transport)).protocol();
            other.transport.sendto(b("later"));
            assertEquals("later", new String(p.server.awaitDatagrams(1).get(0).data(), US_ASCII));
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(1, p.server.received.size());
            other.transport.close();
            p.server.transport.close();
            return null;
        });
    }

    @Test
    void failureOfAWaitingDatagramGoesToErrorReceivedAndTheNextOnesStillGo() {
        run(() -> {
            Pair p = pair();
            refuseSends(p.t(), 1);
            p.t().sendto(b("first"));
            p.t().sendto(new byte[70_000]);
            p.t().sendto(b("third"));
            IOException e = p.client.awaitError();
            assertTrue(e.getMessage().startsWith("Cannot send a datagram of 70000 bytes"), e.getMessage());
            List<Datagram> got = p.server.awaitDatagrams(2);
            assertEquals(List.of("first", "third"), got.stream().map(d -> new String(d.data(), US_ASCII)).toList());
            assertEquals(0, p.t().getWriteBufferSize());
            p.close();
            return null;
        });
    }

    // ---------------------------------------------------------------- floods

    /**
     * A plain blocking UDP socket read by a thread of its own, so that it keeps up with the loop.
     * It checks and counts every datagram; those that arrive while its kernel buffer is full are
     * dropped by the kernel, which counts them too.
     */
    private static final class Receiver implements AutoCloseable {
        final DatagramChannel channel;
        final InetSocketAddress address;
        private final Thread thread;
        private final BitSet seen = new BitSet();
        private long received;
        private final List<String> problems = new ArrayList<>();

        Receiver() throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(ANY_LOOPBACK_PORT);
            address = (InetSocketAddress) channel.getLocalAddress();
            thread = Thread.ofPlatform().name("udp-receiver").start(this::receiveAll);
        }

        private void receiveAll() {
            ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
            try {
                while (true) {
                    buf.clear();
                    channel.receive(buf);
                    byte[] data = new byte[buf.flip().remaining()];
                    buf.get(data);
                    int seq = checkedSeq(data);
                    synchronized (this) {
                        received++;
                        if (seq < 0) {
                            problems.add("corrupted datagram of " + data.length + " bytes");
                        } else if (seen.get(seq)) {
                            problems.add("datagram " + seq + " received twice");
                        } else {
                            seen.set(seq);
                        }
                    }
                }
            } catch (ClosedChannelException closed) {
                // close() ends the thread.
            } catch (IOException e) {
                synchronized (this) {
                    problems.add(e.toString());
                }
            }
        }

        synchronized long received() {
            return received;
        }

        synchronized List<String> problems() {
            return new ArrayList<>(problems);
        }

        synchronized int highestSeq() {
            return seen.length() - 1;
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join();
        }
    }

    /** A sender that waits while its transport is paused. */
    private static final class FloodProtocol implements DatagramProtocol {
        DatagramTransport transport;
        final List<IOException> errors = new ArrayList<>();
        int pauses;
        private Future<Void> resumed;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
        }

        @Override
        public void errorReceived(IOException exc) {
            errors.add(exc);
        }

        @Override
        public void pauseWriting() {
            pauses++;
            resumed = EventLoop.running().createFuture();
        }

        @Override
        public void resumeWriting() {
            resumed.setResult(null);
            resumed = null;
        }

        void awaitWritable() {
            Future<Void> r = resumed;
            if (r != null) {
                r.await();
            }
        }
    }

    /**
     * Floods {@code receiver} with {@code count} datagrams, making the socket refuse
     * {@code refusals} sends before every hundredth datagram, and checks that every datagram
     * accepted by {@code sendto} reached the receiver or was dropped by the receiver's kernel
     * buffer: none was lost on the sending side. Returns how many times the protocol was paused.
     */
    private static int flood(Receiver receiver, int count, int refusals) throws Exception {
        long dropsBefore = kernelDrops(receiver.address);
        Assumptions.assumeTrue(dropsBefore >= 0, "needs /proc/net/udp to count the kernel's receive drops");
        EventLoop loop = EventLoop.running();
        FloodProtocol p = loop.createDatagramEndpoint(FloodProtocol::new, null, receiver.address).protocol();
        p.transport.setWriteBufferLimits(16 * 1024, 4 * 1024);
        long accepted = 0;
        for (int seq = 0; seq < count; seq++) {
            if (refusals > 0 && seq % 100 == 0) {
                refuseSends(p.transport, refusals);
            }
            int errorsBefore = p.errors.size();
            p.transport.sendto(payload(seq, 1000));
            if (p.errors.size() == errorsBefore) {
                accepted++;
            }
            p.awaitWritable();
        }
        p.transport.close();
        double deadline = loop.time() + 20;
        long accounted = 0;
        while (loop.time() < deadline) {
            accounted = receiver.received() + kernelDrops(receiver.address) - dropsBefore;
            if (accounted >= accepted) {
                break;
            }
            Asyncio.sleep(0.005);
        }
        assertEquals(List.of(), p.errors);
        assertEquals(count, accepted);
        assertEquals(accepted, accounted, "datagrams accepted by sendto = received + dropped by the receiver's kernel");
        assertEquals(List.of(), receiver.problems());
        assertTrue(receiver.highestSeq() < count);
        assertEquals(0, p.transport.getWriteBufferSize());
        return p.pauses;
    }

    @Test
    void floodAsFastAsTheLoopCanSendLosesNothingOnTheSendingSide() throws Exception {
        try (Receiver receiver = new Receiver()) {
            run(() -> flood(receiver, 20_000, 0));
        }
    }

    @Test
    void floodThroughASocketThatIsFullNowAndThenLosesNothingAcceptedAndPausesTheProtocol() throws Exception {
        try (Receiver receiver = new Receiver()) {
            int pauses = run(() -> flood(receiver, 20_000, 40));
            assertTrue(pauses > 0, "the write buffer went over its high-water mark");
        }
    }
}
