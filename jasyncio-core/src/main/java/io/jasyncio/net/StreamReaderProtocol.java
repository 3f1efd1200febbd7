package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adapts a transport's events to a {@link StreamReader}: asyncio's {@code StreamReaderProtocol}.
 * Received data goes to the reader; end of stream and errors too. For a server it also makes the
 * {@link StreamWriter} and starts the {@link ClientConnectedCallback} as a task.
 */
public class StreamReaderProtocol extends FlowControlProtocol {
    private StreamReader reader;
    private final ClientConnectedCallback clientConnected;
    private Transport transport;
    private StreamWriter writer;
    private Task<Void> task;
    private final Future<Void> closed;
    /** The transport runs over TLS, where eofReceived's answer has no effect. */
    private boolean overSsl;

    /** A protocol feeding {@code reader}, on the reader's loop, for a client connection. */
    public StreamReaderProtocol(StreamReader reader) {
        this(reader, null, null);
    }

    /**
     * A protocol feeding {@code reader}; when {@code clientConnected} is not null (a server's
     * connection), {@code connectionMade} starts it as a task with the reader and a new writer.
     *
     * @param loop the loop (null: the running loop, or the loop set for this thread)
     */
    public StreamReaderProtocol(StreamReader reader, ClientConnectedCallback clientConnected, EventLoop loop) {
        super(loop);
        this.reader = Objects.requireNonNull(reader, "reader");
        this.clientConnected = clientConnected;
        this.closed = this.loop.createFuture();
    }

    /** Feeds the reader from {@code transport} and, for a server, starts the client callback's task. */
    @Override
    public void connectionMade(BaseTransport transport) {
        Transport t = (Transport) transport;
        this.transport = t;
        overSsl = t.getExtraInfo("sslcontext") != null;
        StreamReader r = reader;
        if (r != null) {
            r.setTransport(t);
        }
        ClientConnectedCallback cb = clientConnected;
        if (cb != null) {
            StreamWriter w = new StreamWriter(t, this, r, loop);
            writer = w;
            Task<Void> handler = loop.createTask(() -> cb.handle(r, w));
            task = handler;
            handler.addDoneCallback(done -> clientFinished(done, t));
        }
    }

    /** asyncio's done callback of the client task: a failed or cancelled handler closes its connection. */
    private void clientFinished(Future<Void> done, Transport t) {
        if (done.cancelled()) {
            t.close();
            return;
        }
        Throwable exc = done.exception();
        if (exc != null) {
            Map<String, Object> context = new HashMap<>();
            context.put("message", "Unhandled exception in client_connected_cb");
            context.put("exception", exc);
            context.put("transport", t);
            loop.callExceptionHandler(context);
            t.close();
        }
    }

    /** Ends the reader (end of stream, or the error), completes the close waiter, wakes drains. */
    @Override
    public void connectionLost(Throwable exc) {
        StreamReader r = reader;
        if (r != null) {
            if (exc == null) {
                r.feedEof();
            } else {
                r.setException(exc);
            }
        }
        if (!closed.done()) {
            if (exc == null) {
                closed.setResult(null);
            } else {
                closed.setException(exc);
                // Mark it retrieved: an error nobody waits for with waitClosed() is not a lost error.
                closed.exception();
            }
        }
        super.connectionLost(exc);
        reader = null;
        writer = null;
        task = null;
        transport = null;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        StreamReader r = reader;
        if (r != null) {
            r.feedData(data);
        }
    }

    /** Ends the reader and keeps the connection open for writing (a half-close). */
    @Override
    public boolean eofReceived() {
        StreamReader r = reader;
        if (r != null) {
            r.feedEof();
        }
        // Over TLS the answer is ignored and true would only log asyncio's warning about it.
        return !overSsl;
    }

    @Override
    protected Future<Void> getCloseWaiter(StreamWriter stream) {
        return closed;
    }

    // ---- TLS: StreamWriter.startTls support (asyncio's _replace_transport)

    /** Whether this protocol serves a connection accepted by a server (it has a client callback). */
    boolean isServerSide() {
        return clientConnected != null;
    }

    /** Switches to the TLS transport made by {@link StreamWriter#startTls}. */
    void replaceTransport(Transport transport) {
        this.transport = transport;
        overSsl = transport.getExtraInfo("sslcontext") != null;
    }

    @Override
    public String toString() {
        return "StreamReaderProtocol[transport=" + transport + ", task=" + task + ", writer=" + (writer != null) + "]";
    }
}
