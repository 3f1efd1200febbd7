package io.jasyncio.internal.net;

import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Name resolution: getaddrinfo, getnameinfo, numeric addresses and interleaving. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResolverTest {

    private static InetSocketAddress a(String ip) {
        return new InetSocketAddress(ip, 80);
    }

    @Test
    void interleaveAlternatesFamiliesAfterTheFirstFamilyCount() {
        List<InetSocketAddress> in = List.of(a("10.0.0.1"), a("10.0.0.2"), a("10.0.0.3"), a("fd00::1"), a("fd00::2"));
        assertEquals(List.of(a("10.0.0.1"), a("fd00::1"), a("10.0.0.2"), a("fd00::2"), a("10.0.0.3")),
                Resolver.interleave(in, 1));
        assertEquals(List.of(a("10.0.0.1"), a("10.0.0.2"), a("fd00::1"), a("10.0.0.3"), a("fd00::2")),
                Resolver.interleave(in, 2));
        assertEquals(List.of(a("10.0.0.1"), a("10.0.0.2"), a("10.0.0.3"), a("fd00::1"), a("fd00::2")),
                Resolver.interleave(in, 9));
    }

    @Test
    void numericAddressesAreRecognisedWithoutALookup() {
        assertTrue(Resolver.isLiteral("127.0.0.1"));
        assertTrue(Resolver.isLiteral("::1"));
        assertTrue(Resolver.isLiteral("fe80::1%lo"));
        assertFalse(Resolver.isLiteral("localhost"));
        assertFalse(Resolver.isLiteral("1.2.3.example"));
        assertFalse(Resolver.isLiteral(null));
    }

    @Test
    void getaddrinfoResolvesOffTheLoopAndFiltersByFamily() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<InetSocketAddress> local = loop.getaddrinfo("localhost", 8080, null);
            assertFalse(local.isEmpty());
            assertTrue(local.stream().allMatch(x -> x.getPort() == 8080 && x.getAddress().isLoopbackAddress()));
            UnknownHostException e = assertThrows(UnknownHostException.class,
                    () -> loop.getaddrinfo("127.0.0.1", 80, StandardProtocolFamily.INET6));
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                    () -> loop.getaddrinfo("localhost", 65536, null));
            assertTrue(port.getMessage().contains("65536"), port.getMessage());
            return null;
        });
    }

    @Test
    void getnameinfoFindsTheHostName() {
        Asyncio.run(() -> {
            InetSocketAddress named = Asyncio.getRunningLoop().getnameinfo(new InetSocketAddress("127.0.0.1", 22));
            assertEquals("localhost", named.getHostName());
            assertEquals(22, named.getPort());
            assertEquals("127.0.0.1", named.getAddress().getHostAddress());
            assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.getRunningLoop().getnameinfo(InetSocketAddress.createUnresolved("x", 1)));
            return null;
        });
    }
}
