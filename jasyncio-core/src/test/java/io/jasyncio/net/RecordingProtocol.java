package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A protocol that records its callbacks and the bytes it receives, for tests. */
class RecordingProtocol implements Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Future<Throwable> lost = new Future<>(EventLoop.running());
    final Future<Transport> made = new Future<>(EventLoop.running());
    Transport transport;
    Throwable lostWith;
    boolean keepOpenOnEof;
    private Future<Void> dataWaiter;

    @Override
    public void connectionMade(BaseTransport transport) {
        events.add("made");
        this.transport = (Transport) transport;
        made.setResult(this.transport);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            events.add("data");
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        received.writeBytes(copy);
        wakeDataWaiter();
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        wakeDataWaiter();
        return keepOpenOnEof;
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add("lost");
        lostWith = exc;
        lost.setResult(exc);
        wakeDataWaiter();
    }

    @Override
    public void pauseWriting() {
        events.add("pause");
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
    }

    /** Suspends the task until at least {@code n} bytes were received, or end of stream. */
    byte[] awaitBytes(int n) {
        while (received.size() < n && !events.contains("eof") && !lost.done()) {
            Future<Void> w = new Future<>(EventLoop.running());
            dataWaiter = w;
            w.await();
        }
        return received.toByteArray();
    }

    private void wakeDataWaiter() {
        Future<Void> w = dataWaiter;
        dataWaiter = null;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }
}
