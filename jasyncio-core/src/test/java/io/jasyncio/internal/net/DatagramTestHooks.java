package io.jasyncio.internal.net;

import io.jasyncio.net.DatagramTransport;

/** Gives the datagram tests of {@code io.jasyncio.net} the transport's test hook. */
public final class DatagramTestHooks {
    private DatagramTestHooks() {
    }

    /**
     * Makes the next {@code count} send attempts of {@code transport} fail as if its socket's
     * buffer were full; see {@code SelectorDatagramTransport.refuseSends}.
     */
    public static void refuseSends(DatagramTransport transport, int count) {
        ((SelectorDatagramTransport) transport).refuseSends(count);
    }
}
