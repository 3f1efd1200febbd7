package io.jasyncio.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A protocol for datagram (UDP) endpoints: asyncio's {@code DatagramProtocol}. Endpoints are made
 * by {@link io.jasyncio.EventLoop#createDatagramEndpoint(java.util.function.Supplier, DatagramOptions)
 * EventLoop.createDatagramEndpoint}; the transport passed to {@link #connectionMade} is a
 * {@link DatagramTransport}. Every method has an empty default, so {@code new DatagramProtocol() {}}
 * is asyncio's bare {@code DatagramProtocol}: a protocol that ignores what it receives.
 *
 * <p>Callback order: {@code connectionMade} once, then any number of {@link #datagramReceived} and
 * {@link #errorReceived} in the order the socket reports them (with {@code pauseWriting} and
 * {@code resumeWriting} alternating in between), then {@code connectionLost} exactly once. Like every
 * protocol callback they run on the loop's thread and must not suspend.
 *
 * <p>Unlike a stream protocol, an exception thrown by {@code datagramReceived} or
 * {@code errorReceived} does not close the endpoint, as in asyncio: it goes to the loop's exception
 * handler (or, when {@code errorReceived} is called from within
 * {@link DatagramTransport#sendto(ByteBuffer, SocketAddress) sendto}, to the caller of
 * {@code sendto}) and the endpoint keeps receiving.
 */
public interface DatagramProtocol extends BaseProtocol {

    /**
     * A datagram arrived: the remaining bytes of {@code data} (possibly none: UDP allows empty
     * datagrams), sent from {@code addr}.
     *
     * <p>{@code data} is valid only during this call: the transport reuses it for the next
     * datagram, so a protocol that keeps the bytes must copy them (sending them with
     * {@link DatagramTransport#sendto(ByteBuffer, SocketAddress) sendto} copies them). The
     * transport does not allocate per datagram.
     *
     * @param addr the sender's address, an {@link java.net.InetSocketAddress}
     */
    default void datagramReceived(ByteBuffer data, SocketAddress addr) {
    }

    /**
     * A send or receive failed; the endpoint stays open. Typical causes: a connected endpoint's
     * peer is not listening, reported by the peer's host as ICMP "port unreachable" and received
     * here as a {@link java.net.PortUnreachableException} on a later receive or send; a datagram
     * too long for the protocol (the message names its size); a broadcast address without
     * {@link DatagramOptions#allowBroadcast()}. A datagram whose sending failed is not sent.
     */
    default void errorReceived(IOException exc) {
    }
}
