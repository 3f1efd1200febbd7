package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.TransportSocket;
import io.jasyncio.net.WriteBufferLimits;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every transport over a selectable socket shares: asyncio's {@code _SelectorTransport} with
 * its {@code _FlowControlMixin}. It owns the channel, its addresses, closing and aborting, the
 * single call of {@code connectionLost}, pausing and resuming reading, and the write-buffer limits
 * that pause and resume the protocol. Subclasses supply reading, writing and the buffer size.
 *
 * <p>Confined to the loop's thread, like the loop.
 */
public abstract class SelectorTransport implements BaseTransport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** After this many writes to a lost connection, each further write logs a warning (asyncio's constant). */
    static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    protected final EventLoop loop;
    protected final NetLoop net;
    protected final SelectableChannel channel;
    protected BaseProtocol protocol;
    private final SocketAddress sockname;
    private final SocketAddress peername;
    private TransportSocket socketView;
    private Map<String, Object> extra;
    private SocketServer server;
    /** Non-zero once connectionLost is scheduled; then counts writes dropped since. */
    protected int connLost;
    protected boolean closing;
    protected boolean paused;
    private final WriteFlowControl flowControl;
    /** The read callback, bound once so that resuming reading allocates no new method reference. */
    protected final Runnable readReady = this::onReadable;

    /**
     * Takes ownership of {@code channel}.
     *
     * @param peername the peer's address if already known (an accepted connection), else null to
     *     ask the channel
     * @param server the server that accepted the connection, or null
     * @throws IllegalStateException if another open transport owns the channel
     * @throws NullPointerException if {@code protocol} is null
     */
    protected <C extends SelectableChannel & NetworkChannel> SelectorTransport(EventLoop loop, C channel,
            BaseProtocol protocol, SocketAddress peername, SocketServer server) {
        this.loop = loop;
        this.flowControl = new WriteFlowControl(loop, this);
        this.net = NetLoop.of(loop);
        this.channel = channel;
        this.sockname = addressOrNull(channel, false);
        this.peername = peername != null ? peername : addressOrNull(channel, true);
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        net.register(channel, this);
        this.server = server;
        if (server != null) {
            server.attach(this);
        }
    }

    private static SocketAddress addressOrNull(NetworkChannel channel, boolean remote) {
        try {
            if (remote) {
                return channel instanceof SocketChannel sc ? sc.getRemoteAddress()
                        : channel instanceof DatagramChannel dc ? dc.getRemoteAddress() : null;
            }
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads what the socket has; the loop calls it when the channel is readable. */
    protected abstract void onReadable();

    /** Adds information for {@link #getExtraInfo(String, Object)} under {@code name}. */
    protected final void putExtraInfo(String name, Object value) {
        if (extra == null) {
            extra = new HashMap<>(4);
        }
        extra.put(name, value);
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        switch (name) {
            case "peername":
                return peername;
            case "sockname":
                return sockname;
            case "socket":
                TransportSocket s = socketView;
                if (s == null) {
                    s = new TransportSocket((NetworkChannel) channel);
                    socketView = s;
                }
                return s;
            default:
                return extra != null ? extra.getOrDefault(name, defaultValue) : defaultValue;
        }
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** asyncio's {@code is_reading}: not closing and not paused. */
    public boolean isReading() {
        return !closing && !paused;
    }

    /** asyncio's {@code pause_reading}. */
    public void pauseReading() {
        if (!isReading()) {
            return;
        }
        paused = true;
        loop.removeReader(channel);
    }

    /** asyncio's {@code resume_reading}. */
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        startReading();
    }

    /** Watches the channel for reading, unless paused or closing. */
    protected void startReading() {
        if (isReading()) {
            loop.addReader(channel, readReady);
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.removeReader(channel);
        if (getWriteBufferSize() == 0) {
            connLost++;
            loop.removeWriter(channel);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    /** Closes at once, dropping buffered data; asyncio's {@code abort}. */
    public void abort() {
        forceClose(null);
    }

    /**
     * Reports a fatal error and closes at once: asyncio's {@code _fatal_error}. I/O errors are the
     * peer's doing and are only logged at debug level; anything else (a protocol callback that
     * threw) goes to the loop's exception handler.
     */
    protected void fatalError(Throwable exc, String message) {
        if (exc instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": " + message, exc);
        } else {
            Map<String, Object> context = new HashMap<>();
            context.put("message", message);
            context.put("exception", exc);
            context.put("transport", this);
            context.put("protocol", protocol);
            loop.callExceptionHandler(context);
        }
        forceClose(exc);
    }

    /** asyncio's {@code _force_close}: drop buffered data, stop reading, schedule connectionLost once. */
    protected void forceClose(Throwable exc) {
        if (connLost != 0) {
            return;
        }
        if (getWriteBufferSize() != 0) {
            clearWriteBuffer();
            loop.removeWriter(channel);
        }
        if (!closing) {
            closing = true;
            loop.removeReader(channel);
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(exc));
    }

    /**
     * Tells the protocol the connection is lost, then closes the channel and detaches from the
     * server. Runs once per transport; reader and writer are already removed.
     */
    protected void callConnectionLost(Throwable exc) {
        try {
            protocol.connectionLost(exc);
        } finally {
            Io.closeQuietly(channel);
            net.unregister(channel, this);
            SocketServer s = server;
            if (s != null) {
                server = null;
                s.detach(this);
            }
        }
    }

    /** Counts a write to a lost connection, warning past asyncio's threshold. */
    protected void noteWriteAfterLost() {
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
        }
        connLost++;
    }

    /** The number of bytes buffered for writing. */
    public abstract long getWriteBufferSize();

    /** Drops the buffered bytes. */
    protected abstract void clearWriteBuffer();

    // ---------------------------------------------------------------- write flow control

    /** asyncio's {@code set_write_buffer_limits}; see {@link io.jasyncio.net.WriteTransport}. */
    public void setWriteBufferLimits(Integer high, Integer low) {
        flowControl.setLimits(high, low);
        maybePauseProtocol();
    }

    /** The current limits. */
    public WriteBufferLimits getWriteBufferLimits() {
        return flowControl.limits();
    }

    /** Pauses the protocol if the buffer grew over the high-water mark. */
    protected void maybePauseProtocol() {
        flowControl.maybePause(getWriteBufferSize(), protocol);
    }

    /** Resumes the protocol if the buffer drained to the low-water mark. */
    protected void maybeResumeProtocol() {
        flowControl.maybeResume(getWriteBufferSize(), protocol);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[');
        if (!channel.isOpen()) {
            sb.append("closed");
        } else if (closing) {
            sb.append("closing");
        } else {
            sb.append(isReading() ? "reading" : "paused");
        }
        sb.append(", local=").append(sockname).append(", peer=").append(peername)
                .append(", bufsize=").append(getWriteBufferSize());
        return sb.append(']').toString();
    }
}
