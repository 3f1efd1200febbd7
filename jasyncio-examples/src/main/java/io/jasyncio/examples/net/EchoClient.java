package io.jasyncio.examples.net;

import io.jasyncio.Asyncio;
import io.jasyncio.net.StreamConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A TCP echo client on the streams API, asyncio's {@code open_connection} example: sends a line,
 * prints the answer, and closes.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp jasyncio-tour.jar io.jasyncio.examples.net.EchoClient [host] [port] [message]
 * </pre>
 */
public final class EchoClient {
    private EchoClient() {
    }

    /** Sends {@code message} and a newline to {@code host:port} and returns the line that comes back. */
    public static String talk(String host, int port, String message) throws IOException {
        StreamConnection c = Asyncio.openConnection(host, port);
        try {
            c.writer().write((message + "\n").getBytes(StandardCharsets.UTF_8));
            c.writer().drain();
            byte[] answer = c.reader().readline();
            return new String(answer, StandardCharsets.UTF_8).strip();
        } finally {
            c.writer().close();
            c.writer().waitClosed();
        }
    }

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
        String message = args.length > 2 ? args[2] : "Hello World!";
        Asyncio.run(() -> {
            System.out.println("Send: " + message);
            System.out.println("Received: " + talk(host, port, message));
        });
    }
}
