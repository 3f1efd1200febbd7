package io.jasyncio.net;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A received datagram: its bytes and the address it came from, as returned by
 * {@link DatagramStream#recv()} and {@link io.jasyncio.EventLoop#sockRecvfrom} (asyncio's
 * {@code (data, addr)} pair). The array belongs to the receiver, which may keep and change it.
 * Two datagrams are equal when they hold the same bytes from the same address.
 *
 * @param data the datagram's bytes; empty for an empty datagram
 * @param address the sender's address
 */
public record Datagram(byte[] data, SocketAddress address) {

    /** Checks that neither part is null. */
    public Datagram {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && Arrays.equals(data, d.data) && address.equals(d.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + address.hashCode();
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + address + "]";
    }
}
