package io.jasyncio.examples.net;

import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.net.Server;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EchoExampleTest {

    @Test
    void theClientGetsItsLineBackFromTheServer() {
        Asyncio.run(() -> {
            Server server = EchoServer.start("127.0.0.1", 0);
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            assertEquals("Hello World!", EchoClient.talk("127.0.0.1", port, "Hello World!"));
            assertEquals("second client", EchoClient.talk("127.0.0.1", port, "second client"));
            server.close();
            server.waitClosed();
        });
    }
}
