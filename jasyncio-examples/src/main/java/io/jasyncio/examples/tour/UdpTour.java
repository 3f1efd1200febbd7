package io.jasyncio.examples.tour;

import static io.jasyncio.examples.tour.Section.check;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.net.Datagram;
import io.jasyncio.net.DatagramStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/** Tour section for UDP: a one-loop datagram echo. */
public final class UdpTour {
    private UdpTour() {
    }

    public static List<Section> sections() {
        return List.of(new Section("UDP echo", UdpTour::echo));
    }

    static String echo() {
        return Asyncio.run(() -> {
            int count = 10_000;
            try (DatagramStream server = Asyncio.openDatagramEndpoint(new InetSocketAddress("127.0.0.1", 0), null);
                 DatagramStream client = Asyncio.openDatagramEndpoint(null, server.localAddress())) {
                Task<Void> echo = Asyncio.createTask(() -> {
                    while (true) {
                        Datagram d = server.recv();
                        server.send(d.data(), d.address());
                    }
                });
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    byte[] payload = ("datagram " + i).getBytes();
                    client.send(payload);
                    byte[] back = Asyncio.waitFor(client::recv, 5.0).data();
                    check(Arrays.equals(payload, back), "datagram " + i + " came back changed");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                echo.cancel();
                return String.format("%,d datagrams echoed one by one on one loop, every payload checked: %,.0f round trips/s",
                        count, count / seconds);
            }
        });
    }
}
