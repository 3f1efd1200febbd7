package io.jasyncio.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The transport of a datagram (UDP) endpoint: asyncio's {@code DatagramTransport}. Made by
 * {@link io.jasyncio.EventLoop#createDatagramEndpoint(java.util.function.Supplier, DatagramOptions)
 * EventLoop.createDatagramEndpoint}; used on the loop's thread only. None of its methods suspends.
 *
 * <p>{@link #sendto(ByteBuffer, SocketAddress) sendto} hands a datagram to the socket at once when
 * it can. When the socket's kernel buffer is full, datagrams wait, in order, in the transport's
 * buffer and go out as soon as the socket can take them; none that was accepted is dropped
 * unless the transport is aborted. Flow control works as for stream transports: above the
 * high-water mark the transport calls {@link BaseProtocol#pauseWriting()}, at or below the
 * low-water mark {@link BaseProtocol#resumeWriting()}. Each waiting datagram counts as its length
 * plus 8 bytes, so that waiting empty datagrams count too (asyncio's accounting).
 *
 * <p>Every {@code sendto} copies what it buffers: the caller may reuse its array or buffer as soon
 * as the call returns.
 */
public interface DatagramTransport extends BaseTransport {

    /** As {@link #sendto(ByteBuffer, SocketAddress) sendto(data, null)}: to the endpoint's remote address. */
    default void sendto(byte[] data) {
        sendto(ByteBuffer.wrap(data), null);
    }

    /** As {@link #sendto(ByteBuffer, SocketAddress)} for the bytes of an array. */
    default void sendto(byte[] data, SocketAddress addr) {
        sendto(ByteBuffer.wrap(data), addr);
    }

    /**
     * Sends the remaining bytes of {@code data} as one datagram to {@code addr}; on return the
     * buffer's position equals its limit. An error the socket reports at once (a datagram too long,
     * a broadcast address without {@code allowBroadcast}, an ICMP error of an earlier datagram) is
     * passed to {@link DatagramProtocol#errorReceived} before this method returns, and the datagram
     * is not sent. Any other failure of the socket is fatal, as in asyncio: the transport is
     * aborted and {@code connectionLost} receives the exception. After the transport is closed the
     * datagram is dropped (with a logged warning after a few such calls, as asyncio does).
     *
     * @param addr where to send; null for the remote address of an endpoint made with one. For an
     *     endpoint with a remote address it must be null or that address.
     * @throws IllegalArgumentException if {@code addr} is null on an endpoint without a remote
     *     address, is another address than the remote address, is not an
     *     {@link java.net.InetSocketAddress}, is an IPv6 address for an IPv4 socket, or is
     *     unresolved (resolve names with {@link io.jasyncio.EventLoop#getaddrinfo} first)
     * @throws UnsupportedOperationException for an empty datagram on an endpoint whose socket is
     *     connected: Java's {@code DatagramChannel} cannot send zero-length datagrams there
     */
    void sendto(ByteBuffer data, SocketAddress addr);

    /**
     * Closes the transport at once, dropping the datagrams waiting to be sent: asyncio's
     * {@code abort()}. The protocol's {@code connectionLost(null)} follows on a later loop
     * iteration. {@link #close()}, by contrast, sends the waiting datagrams first.
     */
    void abort();

    /**
     * The bytes waiting to be sent: for each waiting datagram its length plus 8.
     */
    long getWriteBufferSize();

    /**
     * Sets the flow-control limits, as {@link WriteTransport#setWriteBufferLimits}: a null
     * {@code high} means 64 KiB, or four times {@code low} when {@code low} is given; a null
     * {@code low} means a quarter of {@code high}. May pause the protocol at once.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(Integer high, Integer low);

    /** The current flow-control limits. */
    WriteBufferLimits getWriteBufferLimits();

    /** Whether datagrams are being received: not closing and not {@link #pauseReading() paused}. */
    boolean isReading();

    /**
     * Stops reading the socket until {@link #resumeReading()}. Datagrams that arrive meanwhile wait
     * in the socket's kernel buffer; once it is full the kernel drops further ones (UDP has no
     * back-pressure). Does nothing if the transport is closing or already paused.
     */
    void pauseReading();

    /** Reads the socket again after {@link #pauseReading()}. Does nothing unless paused and open. */
    void resumeReading();
}
