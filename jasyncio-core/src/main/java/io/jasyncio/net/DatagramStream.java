package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A datagram endpoint used from tasks: {@link #recv()} suspends until a datagram arrives and
 * {@link #send(byte[])} suspends while the endpoint's send buffer is over its high-water mark. A
 * jasyncio addition (asyncio has streams for TCP only); open one with
 * {@link io.jasyncio.Asyncio#openDatagramEndpoint(DatagramOptions) Asyncio.openDatagramEndpoint}:
 *
 * <pre>{@code
 * try (DatagramStream udp = Asyncio.openDatagramEndpoint(DatagramOptions.DEFAULT.withRemoteAddr("127.0.0.1", 9999))) {
 *     udp.send("ping".getBytes(StandardCharsets.UTF_8));
 *     Datagram reply = udp.recv();
 * }
 * }</pre>
 *
 * <p>The stream is the {@link DatagramProtocol} of its endpoint: the transport calls the protocol
 * methods, tasks call {@code recv}, {@code send} and {@code close}. Received datagrams wait in the
 * stream, in order, until a task takes them; while {@code maxQueued} of them wait, the stream stops
 * reading its socket, so further datagrams wait in the kernel's buffer and, once it is full, are
 * dropped by the kernel as UDP allows. Errors the socket reports that no {@code send} call can
 * take (an ICMP "port unreachable" for a connected endpoint, the failure of a datagram that had to
 * wait) take their place in that order and are thrown by {@code recv}.
 *
 * <p>Several tasks may wait in {@code recv} at once; each datagram goes to one of them, in the
 * order they started waiting. Like everything of a loop, a stream is used on its loop's thread.
 */
public final class DatagramStream implements DatagramProtocol, AutoCloseable {
    /** The default for how many received datagrams may wait in a stream. */
    public static final int DEFAULT_MAX_QUEUED = 1024;

    private final EventLoop loop;
    private final int maxQueued;
    /** Received datagrams and asynchronous errors, in arrival order. */
    private final ArrayDeque<Object> received = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> receivers = new ArrayDeque<>(1);
    private final ArrayDeque<Future<Void>> senders = new ArrayDeque<>(1);
    private final Future<Void> closed;
    private DatagramTransport transport;
    private boolean writingPaused;
    private boolean lost;
    private Throwable lostWith;
    /** True during the transport's sendto in {@link #send}, whose errors that call throws. */
    private boolean sending;
    private IOException sendError;

    /** A stream holding at most {@link #DEFAULT_MAX_QUEUED} received datagrams. */
    public DatagramStream() {
        this(DEFAULT_MAX_QUEUED);
    }

    /**
     * A stream for the running loop (or the loop set for this thread), holding at most
     * {@code maxQueued} received datagrams; to be the protocol of one endpoint.
     *
     * @throws IllegalArgumentException if {@code maxQueued} is not positive
     * @throws IllegalStateException if there is no such loop
     */
    public DatagramStream(int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be positive: " + maxQueued);
        }
        this.loop = Asyncio.getEventLoop();
        this.maxQueued = maxQueued;
        this.closed = loop.createFuture();
    }

    // ---------------------------------------------------------------- for tasks

    /**
     * Takes the next received datagram, suspending the task until one arrives.
     *
     * @throws IOException an error the socket reported since the previous datagram, such as a
     *     {@link java.net.PortUnreachableException}; the stream stays open
     * @throws SocketException if the endpoint is closed and every datagram received before was
     *     taken (its cause is the error that closed the endpoint, if any)
     * @throws CancelledError if the task is cancelled while waiting; no datagram is lost, the next
     *     waiting task gets it
     * @throws IllegalStateException if called outside a task while it would have to wait
     */
    public Datagram recv() throws IOException {
        while (received.isEmpty()) {
            if (lost) {
                SocketException e = new SocketException("the datagram stream is closed");
                e.initCause(lostWith);
                throw e;
            }
            Future<Void> waiter = loop.createFuture();
            receivers.addLast(waiter);
            try {
                waiter.await();
            } catch (CancelledError e) {
                receivers.remove(waiter);
                // Woken for a datagram but cancelled before taking it: hand the wake-up on.
                if (!received.isEmpty()) {
                    wakeNextReceiver();
                }
                throw e;
            }
        }
        Object next = received.pollFirst();
        if (received.size() <= maxQueued / 2 && transport != null) {
            transport.resumeReading();
        }
        if (next instanceof IOException e) {
            throw e;
        }
        return (Datagram) next;
    }

    /**
     * Sends {@code data} as one datagram to the endpoint's remote address; as
     * {@link #send(ByteBuffer, SocketAddress) send(data, null)}.
     */
    public void send(byte[] data) throws IOException {
        send(ByteBuffer.wrap(data), null);
    }

    /** Sends {@code data} as one datagram to {@code addr}; as {@link #send(ByteBuffer, SocketAddress)}. */
    public void send(byte[] data, SocketAddress addr) throws IOException {
        send(ByteBuffer.wrap(data), addr);
    }

    /**
     * Sends the remaining bytes of {@code data} as one datagram to {@code addr} (null: the remote
     * address), then suspends the task while the endpoint's send buffer is over its high-water
     * mark (the socket could not take earlier datagrams yet). The datagram is accepted before any
     * suspension: it is sent even if the task is then cancelled.
     *
     * @throws IOException if the socket refused the datagram at once (too long, a broadcast
     *     address without {@code allowBroadcast}, an ICMP error of an earlier datagram); it is not sent
     * @throws SocketException if the stream is closed
     * @throws IllegalArgumentException as {@link DatagramTransport#sendto(ByteBuffer, SocketAddress)}
     *     for a missing, unresolved or wrong address
     * @throws UnsupportedOperationException for an empty datagram on a connected endpoint
     * @throws IllegalStateException if the stream is not the protocol of an endpoint yet
     * @throws CancelledError if the task is cancelled while waiting
     */
    public void send(ByteBuffer data, SocketAddress addr) throws IOException {
        DatagramTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("the DatagramStream is not the protocol of an endpoint yet");
        }
        if (t.isClosing()) {
            throw new SocketException("the datagram stream is closed");
        }
        sending = true;
        try {
            t.sendto(data, addr);
        } finally {
            sending = false;
        }
        IOException refused = sendError;
        if (refused != null) {
            sendError = null;
            throw refused;
        }
        while (writingPaused && !lost) {
            Future<Void> waiter = loop.createFuture();
            senders.addLast(waiter);
            try {
                waiter.await();
            } finally {
                senders.remove(waiter);
            }
        }
    }

    /**
     * Closes the endpoint once the datagrams waiting to be sent are sent. Does not suspend; see
     * {@link #waitClosed()}. Tasks waiting in {@code recv} then get what was received before, then a
     * {@link SocketException}.
     */
    @Override
    public void close() {
        DatagramTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    /** Whether the endpoint is closing or closed. */
    public boolean isClosing() {
        return lost || (transport != null && transport.isClosing());
    }

    /**
     * Suspends the task until the endpoint is closed (its {@code connectionLost} has run).
     *
     * @throws IOException the error the endpoint ended with, if any
     * @throws CancelledError if the task is cancelled while waiting
     */
    public void waitClosed() throws IOException {
        closed.await();
    }

    /** The endpoint's transport, for what the stream does not offer (flow-control limits, extra info). */
    public DatagramTransport transport() {
        return transport;
    }

    /** The address the socket is bound to, or null if it is not bound yet. */
    public InetSocketAddress localAddress() {
        return transport == null ? null : (InetSocketAddress) transport.getExtraInfo("sockname");
    }

    /** The endpoint's remote address (the socket's peer), or null for an endpoint without one. */
    public InetSocketAddress remoteAddress() {
        return transport == null ? null : (InetSocketAddress) transport.getExtraInfo("peername");
    }

    // ---------------------------------------------------------------- protocol callbacks

    /**
     * Called by the transport: the stream now serves {@code transport}.
     *
     * @throws IllegalStateException if the stream already serves an endpoint
     */
    @Override
    public void connectionMade(BaseTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("a DatagramStream serves one endpoint");
        }
        this.transport = (DatagramTransport) transport;
    }

    /** Called by the transport: keeps a copy of the datagram for {@link #recv()}. */
    @Override
    public void datagramReceived(ByteBuffer data, SocketAddress addr) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        enqueue(new Datagram(copy, addr));
    }

    /** Called by the transport: the error goes to the {@code send} that caused it, else to {@link #recv()}. */
    @Override
    public void errorReceived(IOException exc) {
        if (sending) {
            sendError = exc;
        } else {
            enqueue(exc);
        }
    }

    private void enqueue(Object item) {
        received.addLast(item);
        if (received.size() >= maxQueued) {
            transport.pauseReading();
        }
        wakeNextReceiver();
    }

    private void wakeNextReceiver() {
        Future<Void> w;
        while ((w = receivers.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(null);
                return;
            }
        }
    }

    /** Called by the transport: {@code send} waits until {@link #resumeWriting()}. */
    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    /** Called by the transport: wakes the tasks waiting in {@code send}. */
    @Override
    public void resumeWriting() {
        writingPaused = false;
        wakeAll(senders);
    }

    /** Called by the transport: wakes every waiting task; {@code recv} drains what is left, then fails. */
    @Override
    public void connectionLost(Throwable exc) {
        lost = true;
        lostWith = exc;
        wakeAll(receivers);
        wakeAll(senders);
        if (exc == null) {
            closed.setResult(null);
        } else {
            closed.setException(exc);
            // Marked retrieved: an error nobody waits for with waitClosed() is not a lost error.
            closed.exception();
        }
    }

    private static void wakeAll(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return "DatagramStream[" + (transport == null ? "not connected" : transport) + ", queued=" + received.size()
                + ", receivers=" + receivers.size() + "]";
    }
}
