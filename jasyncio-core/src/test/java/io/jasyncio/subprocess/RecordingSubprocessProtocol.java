package io.jasyncio.subprocess;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.net.BaseTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A protocol that records its callbacks, with futures for the ones tests wait for. */
class RecordingSubprocessProtocol implements SubprocessProtocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream[] received = {null, new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final Future<Void> exited;
    final Future<Void> lost;
    final Future<Void> resumed;
    SubprocessTransport transport;

    RecordingSubprocessProtocol() {
        EventLoop loop = EventLoop.running();
        exited = loop.createFuture();
        lost = loop.createFuture();
        resumed = loop.createFuture();
    }

    @Override
    public void connectionMade(BaseTransport transport) {
        this.transport = (SubprocessTransport) transport;
        events.add("connectionMade");
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received[fd].writeBytes(b);
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data" + fd)) {
            events.add("data" + fd);
        }
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable exc) {
        events.add("pipeLost" + fd + (exc == null ? "" : ":" + exc.getClass().getSimpleName()));
    }

    @Override
    public void processExited() {
        events.add("exited");
        exited.setResult(null);
    }

    @Override
    public void pauseWriting() {
        events.add("pauseWriting");
    }

    @Override
    public void resumeWriting() {
        events.add("resumeWriting");
        if (!resumed.done()) {
            resumed.setResult(null);
        }
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add("connectionLost");
        lost.setResult(null);
    }

    String text(int fd) {
        return received[fd].toString(StandardCharsets.UTF_8);
    }
}
