package io.jasyncio.internal.net;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.WritableByteChannel;

/** Small I/O helpers shared by the transports, servers and socket operations. */
final class Io {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /**
     * The most bytes of a heap buffer handed to a channel in one call: the JDK copies heap data
     * into a temporary direct buffer of the same size, which must stay small.
     */
    static final int MAX_HEAP_WRITE = 256 * 1024;

    private Io() {
    }

    /**
     * Writes what {@code channel} takes now from {@code data}, heap data in slices of at most
     * {@link #MAX_HEAP_WRITE} bytes; stops at the first short write.
     */
    static void writeSome(WritableByteChannel channel, ByteBuffer data) throws IOException {
        if (data.isDirect()) {
            channel.write(data);
            return;
        }
        while (data.hasRemaining()) {
            int offered = Math.min(data.remaining(), MAX_HEAP_WRITE);
            int limit = data.limit();
            data.limit(data.position() + offered);
            int n;
            try {
                n = channel.write(data);
            } finally {
                data.limit(limit);
            }
            if (n < offered) {
                return;
            }
        }
    }

    static void closeQuietly(Channel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + c + " failed", e);
        }
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, or a Unix socket's path. */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            boolean v6 = inet.getAddress() instanceof Inet6Address || host.indexOf(':') >= 0;
            return (v6 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * {@code e} with the operation and the address in its message, keeping its type for the
     * common socket errors (asyncio's "Connect call failed ('127.0.0.1', 80)").
     */
    static IOException withAddress(IOException e, String operation, SocketAddress address) {
        String message = operation + " " + format(address) + ": " + e.getMessage();
        IOException wrapped;
        if (e instanceof ConnectException) {
            wrapped = new ConnectException(message);
        } else if (e instanceof NoRouteToHostException) {
            wrapped = new NoRouteToHostException(message);
        } else if (e instanceof PortUnreachableException) {
            wrapped = new PortUnreachableException(message);
        } else if (e instanceof BindException) {
            wrapped = new BindException(message);
        } else if (e instanceof SocketException) {
            wrapped = new SocketException(message);
        } else {
            return new IOException(message, e);
        }
        wrapped.initCause(e);
        return wrapped;
    }
}
