package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link ManyConnectionsTest}, run in its own process so that each side has
 * the whole descriptor limit: opens {@code n} connections to {@code host:port}, keeping every one
 * open, then does one echo round trip on each, prints {@code ok n}, and closes them all.
 */
public final class ManyClients {
    private static final int IN_FLIGHT = 200;

    private ManyClients() {
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int ok = Asyncio.run(() -> {
            List<StreamConnection> open = new ArrayList<>(n);
            while (open.size() < n) {
                List<Task<StreamConnection>> batch = new ArrayList<>();
                for (int i = 0; i < IN_FLIGHT && open.size() + batch.size() < n; i++) {
                    batch.add(Asyncio.createTask(() -> Asyncio.openConnection(host, port)));
                }
                for (Task<StreamConnection> t : batch) {
                    open.add(t.await());
                }
            }
            for (int i = 0; i < n; i++) {
                open.get(i).writer().write(("c" + i + "\n").getBytes());
            }
            int echoed = 0;
            for (int i = 0; i < n; i++) {
                String line = new String(open.get(i).reader().readline()).trim();
                if (line.equals("c" + i)) {
                    echoed++;
                }
            }
            for (StreamConnection c : open) {
                c.writer().close();
            }
            for (StreamConnection c : open) {
                c.writer().waitClosed();
            }
            return echoed;
        });
        System.out.println("ok " + ok);
    }
}
