package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Name resolution for the loop: asyncio's {@code getaddrinfo}, {@code getnameinfo} and
 * {@code _ensure_resolved}. Lookups that may touch DNS run on the loop's default executor, never
 * on the loop thread; an address that is already a numeric IP is used at once.
 */
public final class Resolver {
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Resolver() {
    }

    /** Whether {@code host} is a numeric IPv4 or IPv6 address, which needs no lookup. */
    static boolean isLiteral(String host) {
        return host != null && (host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches());
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The addresses of {@code host} (null: the loopback address) with {@code port}, of {@code family} (null: any). */
    static List<InetSocketAddress> lookUp(String host, int port, ProtocolFamily family) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        List<InetSocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            if (matches(a, family)) {
                out.add(new InetSocketAddress(a, port));
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host + ": no address of family " + family);
        }
        return out;
    }

    static boolean matches(InetAddress a, ProtocolFamily family) {
        return family == null
                || (family == StandardProtocolFamily.INET && a instanceof Inet4Address)
                || (family == StandardProtocolFamily.INET6 && a instanceof Inet6Address);
    }

    /** asyncio's {@code getaddrinfo}; see {@link EventLoop#getaddrinfo}. */
    public static List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port, ProtocolFamily family)
            throws UnknownHostException {
        checkPort(port);
        return loop.runInExecutor(null, () -> lookUp(host, port, family)).await();
    }

    /** asyncio's {@code getnameinfo}; see {@link EventLoop#getnameinfo}. */
    public static InetSocketAddress getnameinfo(EventLoop loop, InetSocketAddress address) throws UnknownHostException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        InetAddress ip = address.getAddress();
        return loop.runInExecutor(null, () -> new InetSocketAddress(
                InetAddress.getByAddress(ip.getHostName(), ip.getAddress()), address.getPort())).await();
    }

    /**
     * The addresses to use for {@code host}: the address itself when it is numeric, else the
     * result of {@link EventLoop#getaddrinfo} (suspending the task while it runs); asyncio's
     * {@code _ensure_resolved}.
     */
    static List<InetSocketAddress> ensureResolved(EventLoop loop, String host, int port, ProtocolFamily family)
            throws UnknownHostException {
        checkPort(port);
        if (isLiteral(host)) {
            return lookUp(host, port, family);
        }
        return loop.getaddrinfo(host, port, family);
    }

    /**
     * Reorders addresses by family, alternating families after the first {@code firstFamilyCount - 1}
     * addresses of the first family: asyncio's {@code _interleave_addrinfos}.
     */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> addresses, int firstFamilyCount) {
        Map<Class<?>, List<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress a : addresses) {
            byFamily.computeIfAbsent(a.getAddress().getClass(), k -> new ArrayList<>()).add(a);
        }
        List<List<InetSocketAddress>> lists = new ArrayList<>();
        for (List<InetSocketAddress> l : byFamily.values()) {
            lists.add(new ArrayList<>(l));
        }
        List<InetSocketAddress> reordered = new ArrayList<>(addresses.size());
        if (firstFamilyCount > 1) {
            List<InetSocketAddress> first = lists.get(0);
            int k = Math.min(firstFamilyCount - 1, first.size());
            reordered.addAll(first.subList(0, k));
            first.subList(0, k).clear();
        }
        for (int i = 0; reordered.size() < addresses.size(); i++) {
            for (List<InetSocketAddress> l : lists) {
                if (i < l.size()) {
                    reordered.add(l.get(i));
                }
            }
        }
        return reordered;
    }
}
