package io.jasyncio.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Helpers shared by the datagram tests. */
final class DatagramTesting {
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private DatagramTesting() {
    }

    /** The address a transport's socket is bound to. */
    static InetSocketAddress sockname(BaseTransport transport) {
        return (InetSocketAddress) transport.getExtraInfo("sockname");
    }

    /**
     * A datagram payload that identifies itself: the sequence number {@code seq} in its first four
     * bytes, then {@code size - 4} bytes of a pattern derived from {@code seq}.
     */
    static byte[] payload(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) (seq * 31 + b.position()));
        }
        return b.array();
    }

    /** The sequence number of {@code data} if it is exactly {@code payload(seq, data.length)}, else -1. */
    static int checkedSeq(byte[] data) {
        if (data.length < 4) {
            return -1;
        }
        int seq = ByteBuffer.wrap(data).getInt();
        return java.util.Arrays.equals(data, payload(seq, data.length)) ? seq : -1;
    }

    /** Whether this machine can bind a UDP socket to the IPv6 loopback address. */
    static boolean hasIpv6Loopback() {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            c.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * How many datagrams the kernel dropped on arrival at the UDP socket bound to {@code local}
     * because its receive buffer was full (the {@code drops} column of /proc/net/udp or udp6), or
     * -1 where that is not available.
     */
    static long kernelDrops(InetSocketAddress local) {
        boolean v6 = local.getAddress() instanceof java.net.Inet6Address;
        Path table = Path.of(v6 ? "/proc/net/udp6" : "/proc/net/udp");
        if (!Files.isReadable(table)) {
            return -1;
        }
        String wanted = procAddress(local);
        try {
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 12 && f[1].equals(wanted)) {
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** {@code address} as /proc/net/udp writes it: each 32-bit word of the IP in little-endian hex, a colon, the port. */
    private static String procAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        StringBuilder sb = new StringBuilder();
        for (int word = 0; word < ip.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(String.format(Locale.ROOT, "%02X", ip[word + i] & 0xFF));
            }
        }
        return sb.append(String.format(Locale.ROOT, ":%04X", address.getPort())).toString();
    }
}
