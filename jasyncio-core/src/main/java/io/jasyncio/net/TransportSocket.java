package io.jasyncio.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A view of the socket behind a transport or a server: asyncio's {@code TransportSocket}. It gives
 * the socket's addresses and options but not its data or its life: reading, writing and closing
 * belong to the transport or server, which would be confused by anyone else doing them.
 */
public final class TransportSocket {
    private final NetworkChannel channel;

    /** A view of {@code channel}. */
    public TransportSocket(NetworkChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * The address the socket is bound to: asyncio's {@code getsockname()}.
     *
     * @throws IOException if the socket is closed or the address cannot be read
     */
    public SocketAddress getLocalAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /**
     * The address of the peer, or null for a listening or unconnected socket: asyncio's
     * {@code getpeername()}.
     *
     * @throws IOException if the socket is closed
     */
    public SocketAddress getRemoteAddress() throws IOException {
        return channel instanceof SocketChannel sc ? sc.getRemoteAddress()
                : channel instanceof DatagramChannel dc ? dc.getRemoteAddress() : null;
    }

    /**
     * The address family: {@code INET}, {@code INET6} or {@code UNIX}.
     *
     * @throws IOException if the socket is closed
     */
    public ProtocolFamily family() throws IOException {
        SocketAddress local = channel.getLocalAddress();
        if (local instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (local instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address) {
            return StandardProtocolFamily.INET;
        }
        return StandardProtocolFamily.INET6;
    }

    /**
     * A socket option: asyncio's {@code getsockopt}.
     *
     * @throws UnsupportedOperationException if the socket does not support the option
     * @throws IOException if the socket is closed or the option cannot be read
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    /**
     * Sets a socket option: asyncio's {@code setsockopt}.
     *
     * @throws UnsupportedOperationException if the socket does not support the option
     * @throws IllegalArgumentException if the value is invalid for the option
     * @throws IOException if the socket is closed or the option cannot be set
     */
    public <T> TransportSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    /** Whether the socket is open. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public String toString() {
        String local;
        try {
            local = String.valueOf(channel.getLocalAddress());
        } catch (IOException | RuntimeException closed) {
            local = "closed";
        }
        return "TransportSocket[" + local + "]";
    }
}
