package io.jasyncio.bench.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The client side of {@link UdpEchoBench}, run in a process of its own: keeps {@code window}
 * datagrams of {@code size} bytes in flight to an echo server, sending one more for each echo
 * it receives, for {@code warmup} seconds and then {@code seconds} seconds measured. A datagram
 * that is not echoed within a second counts as lost and is replaced. Prints
 * {@code echoes=<n> lost=<n> seconds=<s> total=<n>}: the echoes, losses and length of the measured
 * period, and the echoes of the whole run, warm-up included.
 *
 * <pre>
 * java -cp jasyncio-benchmarks.jar io.jasyncio.bench.net.UdpEchoClient HOST PORT WARMUP SECONDS WINDOW SIZE
 * </pre>
 */
public final class UdpEchoClient {
    private static final int LOSS_TIMEOUT_MILLIS = 1000;

    private UdpEchoClient() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        double warmup = Double.parseDouble(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int window = Integer.parseInt(args[4]);
        int size = Integer.parseInt(args[5]);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            socket.connect(server);
            socket.setSoTimeout(LOSS_TIMEOUT_MILLIS);
            socket.setReceiveBufferSize(4 << 20);
            run(socket, warmup, seconds, window, size);
        }
    }

    private static void run(DatagramSocket socket, double warmup, double seconds, int window, int size)
            throws IOException {
        byte[] out = new byte[Math.max(size, 8)];
        DatagramPacket outPacket = new DatagramPacket(out, size);
        DatagramPacket inPacket = new DatagramPacket(new byte[65_536], 65_536);
        long seq = 0;
        int inFlight = 0;
        long echoes = 0;
        long total = 0;
        long lost = 0;
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        boolean measuring = false;
        while (true) {
            while (inFlight < window) {
                ByteBuffer.wrap(out).putLong(seq++);
                socket.send(outPacket);
                inFlight++;
            }
            try {
                socket.receive(inPacket);
                inFlight--;
                total++;
                if (measuring) {
                    echoes++;
                }
            } catch (SocketTimeoutException e) {
                if (measuring) {
                    lost += inFlight;
                }
                inFlight = 0;
            }
            long now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                measuring = true;
                measureFrom = now;
            }
            if (now >= end) {
                System.out.printf(Locale.ROOT, "echoes=%d lost=%d seconds=%.3f total=%d%n", echoes, lost,
                        (now - measureFrom) / 1e9, total);
                return;
            }
        }
    }
}
