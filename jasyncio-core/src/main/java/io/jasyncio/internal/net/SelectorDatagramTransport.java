package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.DatagramProtocol;
import io.jasyncio.net.DatagramTransport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The transport of a datagram socket: asyncio's {@code _SelectorDatagramTransport}.
 *
 * <p>Receiving: each readiness event reads one datagram into the loop's shared direct buffer and
 * hands it to the protocol; no allocation per datagram. (Reading several per event measured no
 * faster: when one datagram waits, which is the common case, the second read only finds the
 * socket empty.) Sending: with nothing waiting, a datagram goes straight to the socket; only when
 * the socket refuses it for lack of buffer space is it copied into the queue, which is flushed
 * when the socket becomes writable.
 *
 * <p>An empty datagram is never sent straight away: the JDK reports 0 bytes sent both when it was
 * sent and when the socket had no room, so an empty datagram waits in the queue until the socket
 * is known to be writable, the only state in which sending it cannot fail for lack of room.
 */
public final class SelectorDatagramTransport extends SelectorTransport implements DatagramTransport {
    /** What a waiting datagram counts for in the buffer size beyond its length (asyncio's {@code _header_size}). */
    static final int HEADER_SIZE = 8;

    private final DatagramChannel socket;
    /** The default and only destination, or null for an endpoint without a remote address. */
    private final SocketAddress address;
    /** Whether the socket itself is connected (so datagrams are written without an address). */
    private final boolean connected;
    /** Whether the socket is known to be IPv4, which cannot send to IPv6 addresses. */
    private final boolean ipv4Only;
    private DatagramProtocol datagramProtocol;
    private ArrayDeque<Pending> queue;
    private long bufferSize;
    private final Runnable writeReady = this::onWritable;
    /** How many coming send attempts fail as if the socket had no room; see {@link #refuseSends}. */
    private int refusedSends;

    /** A datagram waiting to be sent: a private copy of its bytes and its destination. */
    private record Pending(ByteBuffer data, SocketAddress target) {
    }

    /**
     * Makes the transport of {@code socket} and schedules, in this order, {@code connectionMade},
     * the start of reading, and the completion of {@code waiter}.
     *
     * @param address the endpoint's remote address, or null; when null and the socket is
     *     connected, its peer's address
     * @param family the family the socket was opened with, or null if unknown (then the family of
     *     its local address, if bound)
     * @param waiter completed (unless cancelled) once {@code connectionMade} has run; may be null
     * @throws IllegalArgumentException if {@code protocol} is not a DatagramProtocol
     * @throws IllegalStateException if another open transport owns the socket
     */
    public SelectorDatagramTransport(EventLoop loop, DatagramChannel socket, BaseProtocol protocol,
            SocketAddress address, ProtocolFamily family, Future<Void> waiter) {
        super(loop, socket, checkedProtocol(protocol), null, null);
        this.socket = socket;
        this.ipv4Only = family != null ? family == StandardProtocolFamily.INET
                : getExtraInfo("sockname") instanceof InetSocketAddress local && local.getAddress() instanceof Inet4Address;
        this.datagramProtocol = (DatagramProtocol) protocol;
        SocketAddress peer = (SocketAddress) getExtraInfo("peername");
        this.connected = peer != null;
        this.address = address != null ? address : peer;
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(this::startReading);
        if (waiter != null) {
            loop.callSoon(() -> {
                if (!waiter.cancelled()) {
                    waiter.setResult(null);
                }
            });
        }
    }

    private static BaseProtocol checkedProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!(protocol instanceof DatagramProtocol)) {
            throw new IllegalArgumentException("protocol must be a DatagramProtocol: " + protocol);
        }
        return protocol;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        datagramProtocol = (DatagramProtocol) checkedProtocol(protocol);
        super.setProtocol(protocol);
    }

    // ---------------------------------------------------------------- receiving

    /** Reads one datagram per readiness event, as asyncio does; asyncio's {@code _read_ready}. */
    @Override
    protected void onReadable() {
        if (connLost != 0) {
            return;
        }
        ByteBuffer buf = net.readBuffer();
        SocketAddress from;
        try {
            from = socket.receive(buf);
        } catch (IOException e) {
            datagramProtocol.errorReceived(e);
            return;
        } catch (RuntimeException e) {
            fatalError(e, "Fatal read error on datagram transport");
            return;
        }
        if (from != null) {
            datagramProtocol.datagramReceived(buf.flip(), from);
        }
    }

    // ---------------------------------------------------------------- sending

    @Override
    public void sendto(ByteBuffer data, SocketAddress addr) {
        SocketAddress target = destination(addr);
        int size = data.remaining();
        if (size == 0 && connected) {
            throw new UnsupportedOperationException("an empty datagram cannot be sent on a connected endpoint "
                    + "(to " + Io.format(target) + "): Java's DatagramChannel sends no zero-length datagram "
                    + "on a connected socket");
        }
        if (connLost != 0) {
            data.position(data.limit());
            noteWriteAfterLost();
            return;
        }
        if (queue == null || queue.isEmpty()) {
            if (size > 0) {
                boolean sent;
                try {
                    sent = trySend(data, target);
                } catch (IOException e) {
                    data.position(data.limit());
                    datagramProtocol.errorReceived(Datagrams.sendFailure(e, size, target));
                    return;
                } catch (RuntimeException e) {
                    data.position(data.limit());
                    fatalError(e, "Fatal write error on datagram transport");
                    return;
                }
                if (sent) {
                    return;
                }
            }
            loop.addWriter(channel, writeReady);
        }
        ByteBuffer copy = ByteBuffer.allocate(size).put(data).flip();
        queue().addLast(new Pending(copy, target));
        bufferSize += size + HEADER_SIZE;
        maybePauseProtocol();
    }

    /**
     * Where a datagram for {@code addr} goes: asyncio's address check, plus the refusal of an
     * unresolved address, which could only be resolved by blocking the loop, and of an address the
     * socket cannot send to, which would otherwise fail only when a waiting datagram is sent.
     */
    private SocketAddress destination(SocketAddress addr) {
        if (addr != null) {
            if (!(addr instanceof InetSocketAddress inet)) {
                throw new IllegalArgumentException("addr must be an InetSocketAddress: " + addr);
            }
            if (inet.isUnresolved()) {
                throw new IllegalArgumentException("addr must be a resolved address (resolve names with "
                        + "EventLoop.getaddrinfo first): " + addr);
            }
            if (ipv4Only && inet.getAddress() instanceof Inet6Address) {
                throw new IllegalArgumentException("addr must be an IPv4 address, the endpoint's socket is IPv4: "
                        + Io.format(addr));
            }
        }
        if (address != null) {
            if (addr != null && !addr.equals(address)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + Io.format(address)
                        + ", the endpoint's remote address: " + Io.format(addr));
            }
            return address;
        }
        if (addr == null) {
            throw new IllegalArgumentException("addr must not be null: the endpoint has no remote address");
        }
        return addr;
    }

    private ArrayDeque<Pending> queue() {
        ArrayDeque<Pending> q = queue;
        if (q == null) {
            q = new ArrayDeque<>();
            queue = q;
        }
        return q;
    }

    /** The socket can take more: send the waiting datagrams in order. asyncio's {@code _sendto_ready}. */
    private void onWritable() {
        if (connLost != 0) {
            return;
        }
        int sentThisRound = 0;
        Pending p;
        while ((p = queue.peekFirst()) != null) {
            int size = p.data.remaining();
            if (size == 0 && sentThisRound > 0) {
                // Writability is only known before the first send of this round; wait for the next round.
                break;
            }
            boolean sent;
            try {
                sent = trySend(p.data, p.target);
            } catch (IOException e) {
                dequeue(size);
                datagramProtocol.errorReceived(Datagrams.sendFailure(e, size, p.target));
                return;
            } catch (RuntimeException e) {
                fatalError(e, "Fatal write error on datagram transport");
                return;
            }
            if (!sent) {
                break;
            }
            dequeue(size);
            sentThisRound++;
        }
        maybeResumeProtocol();
        if (queue.isEmpty()) {
            loop.removeWriter(channel);
            if (closing) {
                connLost++;
                callConnectionLost(null);
            }
        }
    }

    /**
     * Hands one datagram to the socket; false if the socket has no room for it. An empty datagram
     * counts as sent: it is only tried when the socket is known to be writable.
     */
    private boolean trySend(ByteBuffer data, SocketAddress target) throws IOException {
        if (refusedSends > 0) {
            refusedSends--;
            return false;
        }
        int size = data.remaining();
        int n = connected ? socket.write(data) : socket.send(data, target);
        return n > 0 || size == 0;
    }

    /**
     * Makes the next {@code count} send attempts fail as if the socket's buffer were full, for
     * tests: on Linux a UDP socket sending over loopback never runs out of buffer space (loopback
     * hands each datagram to the receiver within the send call, or drops it there), so the
     * waiting and flow-control paths cannot be reached with real loopback sockets alone. The
     * refused datagrams then wait and go out through the real socket like any others.
     */
    void refuseSends(int count) {
        refusedSends = count;
    }

    private void dequeue(int size) {
        queue.pollFirst();
        bufferSize -= size + HEADER_SIZE;
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    protected void clearWriteBuffer() {
        if (queue != null) {
            queue.clear();
        }
        bufferSize = 0;
    }
}
