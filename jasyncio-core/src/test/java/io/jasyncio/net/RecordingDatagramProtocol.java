package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A datagram protocol that records its callbacks, datagrams and errors, for tests. */
class RecordingDatagramProtocol implements DatagramProtocol {
    final List<String> events = new ArrayList<>();
    final List<Datagram> received = new ArrayList<>();
    final List<IOException> errors = new ArrayList<>();
    final Future<DatagramTransport> made = new Future<>(EventLoop.running());
    final Future<Throwable> lost = new Future<>(EventLoop.running());
    DatagramTransport transport;
    /** When true, every datagram is sent back to its sender. */
    boolean echo;
    private Future<Void> waiter;

    @Override
    public void connectionMade(BaseTransport transport) {
        events.add("made");
        this.transport = (DatagramTransport) transport;
        made.setResult(this.transport);
    }

    @Override
    public void datagramReceived(ByteBuffer data, SocketAddress addr) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("datagram")) {
            events.add("datagram");
        }
        if (echo) {
            transport.sendto(data.duplicate(), addr);
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        received.add(new Datagram(copy, addr));
        wake();
    }

    @Override
    public void errorReceived(IOException exc) {
        events.add("error");
        errors.add(exc);
        wake();
    }

    @Override
    public void pauseWriting() {
        events.add("pause");
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add("lost");
        lost.setResult(exc);
        wake();
    }

    /** Suspends the task until {@code n} datagrams were received (or the endpoint is lost); returns them. */
    List<Datagram> awaitDatagrams(int n) {
        awaitUntil(() -> received.size() >= n);
        return received;
    }

    /** Suspends the task until an error was received (or the endpoint is lost); returns the first. */
    IOException awaitError() {
        awaitUntil(() -> !errors.isEmpty());
        return errors.isEmpty() ? null : errors.get(0);
    }

    private void awaitUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean() && !lost.done()) {
            Future<Void> w = new Future<>(EventLoop.running());
            waiter = w;
            w.await();
        }
    }

    private void wake() {
        Future<Void> w = waiter;
        waiter = null;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }
}
