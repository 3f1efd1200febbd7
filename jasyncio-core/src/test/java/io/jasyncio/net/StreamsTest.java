package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.port;
import static io.jasyncio.net.NetTesting.run;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamsTest {

    @Test
    void echoRoundTripThroughOpenConnectionAndStartServer() {
        String reply = run(() -> {
            Server server = Asyncio.startServer((reader, writer) -> {
                byte[] data = reader.read(100);
                writer.write(data);
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0);
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server));
            c.writer().write("Hello".getBytes(US_ASCII));
            c.writer().drain();
            byte[] data = c.reader().read(100);
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return new String(data, US_ASCII);
        });
        assertEquals("Hello", reply);
    }
}
