package io.jasyncio.internal.net;

import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimerHandle;
import io.jasyncio.net.BaseProtocol;
import io.jasyncio.net.BaseTransport;
import io.jasyncio.net.BufferedProtocol;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.ReadBufferLimits;
import io.jasyncio.net.Transport;
import io.jasyncio.net.WriteBufferLimits;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a stream transport and an application protocol: asyncio's
 * {@code sslproto.SSLProtocol}, on a JDK {@link SSLEngine}. It is the lower transport's protocol
 * (a {@link BufferedProtocol}, so ciphertext is read straight into a buffer of its own) and drives
 * an {@link SslTransport} that the application protocol sees as an ordinary {@link Transport}.
 *
 * <p>States, as asyncio's: {@code UNWRAPPED} until the lower connection is made, then
 * {@code DO_HANDSHAKE}, {@code WRAPPED} while data flows, {@code FLUSHING} once closing starts
 * (data already received is still delivered), {@code SHUTDOWN} while close_notify is exchanged, and
 * {@code UNWRAPPED} again once the connection is lost or aborted. The application protocol gets
 * {@code connectionMade} when the handshake succeeds (never for {@code startTls}, whose protocol
 * already had it), and {@code connectionLost} only if it got {@code connectionMade}.
 *
 * <p>All work happens on the loop's thread in the lower transport's callbacks and in the
 * application's calls to the TLS transport, without extra tasks. Handshake work the engine
 * delegates (certificate checks) runs inline, as asyncio's does.
 */
final class SslProtocol implements BufferedProtocol {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_READ}: the default high-water mark for reads. */
    static final int READ_HIGH_WATER = 256 * 1024;
    /** The least room a read into the stash gets, unless the read-buffer limit leaves less. */
    private static final int STASH_READ_ROOM = 16 * 1024;
    /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_WRITE}: the default high-water mark for writes. */
    static final int WRITE_HIGH_WATER = 512 * 1024;
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }

    /** What the application protocol has been told: asyncio's {@code AppProtocolState}. */
    private enum AppState { INIT, CON_MADE, EOF, CON_LOST }

    private final EventLoop loop;
    private final TlsBuffers buffers;
    private final SSLContext context;
    private final SSLEngine engine;
    private final double handshakeTimeout;
    private final double shutdownTimeout;
    /** Server connections: report a failed handshake in debug mode, as asyncio's accept does. */
    private final boolean reportFailures;
    private final SslTransport appTransport;
    private final Runnable resumeReadingCallback = this::resumeAfterPause;
    /** A one-element array reused by single-buffer writes; null while in use. */
    private ByteBuffer[] single = new ByteBuffer[1];
    private Future<Void> waiter;
    private BaseProtocol app;
    private Protocol appData;
    private BufferedProtocol appBuffered;
    private Transport lower;
    private State state = State.UNWRAPPED;
    private AppState appState;
    private boolean handshakeDone;
    private boolean shutdownDone;
    private int connLost;
    private TimerHandle handshakeTimer;
    private TimerHandle shutdownTimer;
    private double handshakeStart;

    private boolean appReadingPaused;
    private boolean sslReadingPaused;
    private boolean lowerEof;
    private boolean appWritingPaused;
    private int writeHigh = WRITE_HIGH_WATER;
    private int writeLow = WRITE_HIGH_WATER / 4;
    private int readHigh = READ_HIGH_WATER;
    private int readLow = READ_HIGH_WATER / 4;

    /** Plaintext the application wrote that the engine cannot take yet (handshake in progress). */
    private ArrayDeque<ByteBuffer> backlog;
    private long backlogSize;
    /** Ciphertext received and not yet decrypted, in read mode (position to limit); null when none. */
    private ByteBuffer stash;
    /** The buffer being decrypted during a read, in read mode; null outside reads. */
    private ByteBuffer input;
    /** What the last getBuffer() returned (the shared read buffer or the stash) until the read completes. */
    private ByteBuffer readTarget;
    /** Decrypted data not yet delivered (the application paused mid-delivery), in read mode; null when none. */
    private ByteBuffer plain;
    private boolean pumping;
    private boolean pumpAgain;

    /**
     * A TLS layer for {@code app} over {@code engine}; it starts when the lower transport calls
     * {@link #connectionMade}.
     *
     * @param waiter completed when the handshake succeeds, or with its error; may be null
     * @param callConnectionMade false for {@code startTls}, whose protocol is already connected
     * @param reportFailures whether a failed handshake is reported to the loop's exception handler
     *     in debug mode (accepted connections, whose failures nobody awaits)
     */
    SslProtocol(EventLoop loop, BaseProtocol app, SSLContext context, SSLEngine engine, double handshakeTimeout,
            double shutdownTimeout, Future<Void> waiter, boolean callConnectionMade, boolean reportFailures) {
        this.loop = loop;
        this.buffers = TlsBuffers.of(loop);
        this.context = context;
        this.engine = engine;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.waiter = waiter;
        this.reportFailures = reportFailures;
        this.appState = callConnectionMade ? AppState.INIT : AppState.CON_MADE;
        setAppProtocol(app);
        this.appTransport = new SslTransport(this);
    }

    /** The transport the application protocol uses. */
    SslTransport appTransport() {
        return appTransport;
    }

    BaseProtocol appProtocol() {
        return app;
    }

    /** The transport the records travel on; null once the connection is lost. */
    Transport lowerTransport() {
        return lower;
    }

    /** How many received bytes wait undecrypted (a partial record, or data held while paused). */
    int bufferedCiphertext() {
        ByteBuffer s = stash;
        if (s == null) {
            return 0;
        }
        // Between getBuffer() and the read's completion the stash is in write mode, its bytes before the position.
        return readTarget == s ? s.position() : s.remaining();
    }

    /**
     * Makes {@code protocol} the receiver of decrypted data.
     *
     * @throws IllegalArgumentException if it is neither a Protocol nor a BufferedProtocol
     */
    void setAppProtocol(BaseProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (protocol instanceof BufferedProtocol b) {
            appBuffered = b;
            appData = null;
        } else if (protocol instanceof Protocol p) {
            appData = p;
            appBuffered = null;
        } else {
            throw new IllegalArgumentException("protocol must be a Protocol or a BufferedProtocol: " + protocol);
        }
        app = protocol;
    }

    // ---------------------------------------------------------------- the lower transport's callbacks

    @Override
    public void connectionMade(BaseTransport transport) {
        lower = (Transport) transport;
        lower.setWriteBufferLimits(writeHigh, writeLow);
        startHandshake();
    }

    @Override
    public void connectionLost(Throwable exc) {
        clearBacklog();
        connLost++;
        appTransport.markClosed();
        if (state != State.DO_HANDSHAKE && (appState == AppState.CON_MADE || appState == AppState.EOF)) {
            appState = AppState.CON_LOST;
            BaseProtocol p = app;
            loop.callSoon(() -> p.connectionLost(exc));
        }
        boolean handshaking = state == State.DO_HANDSHAKE;
        state = State.UNWRAPPED;
        lower = null;
        stash = null;
        plain = null;
        Throwable reason = exc;
        if (reason == null && !handshakeDone) {
            // asyncio would complete the waiter normally and hand out a dead connection.
            reason = new SocketException("Connection lost during the SSL handshake");
        }
        if (handshaking) {
            reportAcceptFailure(reason);
        }
        wakeUpWaiter(reason);
        cancelTimers();
    }

    /**
     * Where the lower transport reads ciphertext to: the loop's shared buffer, after room for the
     * partial record left from the previous read, or this connection's stash when the shared buffer
     * is in use or data is being held while the application's reading is paused. Nothing moves
     * until the read brought data: a read may also find nothing, or fail.
     */
    @Override
    public ByteBuffer getBuffer(int sizeHint) {
        abandonRead();
        ByteBuffer shared = holdingData() ? null : buffers.sharedReadBuffer();
        if (shared != null) {
            readTarget = shared.position(TlsBuffers.CARRY_ROOM);
            return shared;
        }
        int room = holdingForApp() ? heldReadRoom() : Integer.MAX_VALUE;
        ByteBuffer s = stashForWriting(STASH_READ_ROOM);
        if (room < s.remaining()) {
            s.limit(s.position() + room);
        }
        readTarget = s;
        return s;
    }

    /**
     * How much one read may bring while data is held for the application: up to the high-water
     * mark, so that reading stops right at it, or one small read when the mark is reached already
     * (a mark of zero, which the first byte passes).
     */
    private int heldReadRoom() {
        long room = readHigh - getReadBufferSize();
        return room > 0 ? (int) room : STASH_READ_ROOM;
    }

    /** Whether received data piles up unprocessed: the application paused reading while data flows. */
    private boolean holdingData() {
        return appReadingPaused && state == State.WRAPPED || stash != null && stash.remaining() > TlsBuffers.CARRY_ROOM;
    }

    /**
     * Whether what arrives is kept for the application rather than processed: it paused reading
     * while data flows (or the peer's end of file waits behind the data). Otherwise what stays
     * buffered is at most the start of a record the engine needs the rest of, so reading must go on.
     */
    private boolean holdingForApp() {
        return appReadingPaused && (state == State.WRAPPED || state == State.FLUSHING);
    }

    /** The stash in write mode with at least {@code room} bytes free after its pending bytes. */
    private ByteBuffer stashForWriting(int room) {
        ByteBuffer s = stash;
        if (s == null) {
            s = ByteBuffer.allocate(Math.max(room, engine.getSession().getPacketBufferSize()));
            stash = s;
            return s;
        }
        s.compact();
        if (s.remaining() < room) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(s.capacity() * 2, s.position() + room));
            grown.put(s.flip());
            stash = grown;
            return grown;
        }
        return s;
    }

    /** Forgets a read that brought nothing (or ended the stream): the stash goes back to read mode. */
    private void abandonRead() {
        ByteBuffer t = readTarget;
        readTarget = null;
        if (t != null && !buffers.isSharedReadBuffer(t)) {
            t.flip();
        }
    }

    /** The ciphertext to decrypt after a read: the stash's bytes followed by what was read. */
    private ByteBuffer completeRead() {
        ByteBuffer t = readTarget;
        readTarget = null;
        if (!buffers.isSharedReadBuffer(t)) {
            return t.flip();
        }
        int start = TlsBuffers.CARRY_ROOM;
        int end = t.position();
        ByteBuffer s = stash;
        if (s != null && s.hasRemaining()) {
            start -= s.remaining();
            t.put(start, s, s.position(), s.remaining());
        }
        stash = null;
        return t.limit(end).position(start);
    }

    @Override
    public void bufferUpdated(int nbytes) {
        ByteBuffer in = completeRead();
        if (state == State.UNWRAPPED) {
            // Aborted: what still arrives is dropped.
            stash = null;
            return;
        }
        boolean shared = buffers.isSharedReadBuffer(in);
        input = in;
        try {
            pump();
        } finally {
            input = null;
            if (shared && in.hasRemaining()) {
                keepUnread(in);
            }
        }
        controlSslReading();
    }

    /** Copies the bytes not yet decrypted out of the shared read buffer into the stash. */
    private void keepUnread(ByteBuffer in) {
        if (state == State.UNWRAPPED) {
            return;
        }
        ByteBuffer s = stashForWriting(in.remaining());
        s.put(in);
        s.flip();
    }

    @Override
    public boolean eofReceived() {
        lowerEof = true;
        abandonRead();
        LOG.log(System.Logger.Level.DEBUG, () -> this + " received EOF");
        try {
            switch (state) {
                case DO_HANDSHAKE -> onHandshakeComplete(
                        new SocketException("Connection reset by peer: EOF during the SSL handshake"));
                case WRAPPED -> {
                    state = State.FLUSHING;
                    if (appReadingPaused) {
                        // Keep the lower transport open until the application reads what is left.
                        return true;
                    }
                    pump();
                }
                case FLUSHING, SHUTDOWN -> pump();
                default -> {
                }
            }
        } catch (RuntimeException | Error e) {
            Transport t = lower;
            if (t != null) {
                t.close();
            }
            throw e;
        }
        return false;
    }

    /** The lower transport's buffer went over its high-water mark (which is ours). */
    @Override
    public void pauseWriting() {
        controlAppWriting();
    }

    /** The lower transport's buffer drained to its low-water mark (which is ours). */
    @Override
    public void resumeWriting() {
        controlAppWriting();
    }

    // ---------------------------------------------------------------- the engine, driven

    /**
     * Runs the state machine until it needs more input. Re-entrant calls (the application closing
     * or writing from a callback) only ask the running pass to go round once more.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        // A read prepared but never completed (it found nothing) left the stash in write mode.
        abandonRead();
        buffers.enter();
        try {
            do {
                pumpAgain = false;
                step();
            } while (pumpAgain && state != State.UNWRAPPED);
        } finally {
            pumping = false;
            buffers.leave();
        }
    }

    private void step() {
        try {
            switch (state) {
                case DO_HANDSHAKE -> {
                    doHandshake();
                    if (state == State.WRAPPED) {
                        flowData();
                    }
                }
                case WRAPPED, FLUSHING -> flowData();
                case SHUTDOWN -> doShutdown();
                default -> {
                }
            }
        } catch (SSLException e) {
            if (state == State.DO_HANDSHAKE) {
                onHandshakeComplete(e);
            } else if (state == State.SHUTDOWN) {
                onShutdownComplete(e);
            } else {
                fatalError(e, "Fatal error on SSL protocol");
            }
        } catch (RuntimeException | Error e) {
            if (e instanceof CancelledError) {
                throw e;
            }
            fatalError(e, "Fatal error on SSL protocol");
        }
    }

    /** Data flows: send what waited, deliver what arrived, and go on to the shutdown once flushing. */
    private void flowData() throws SSLException {
        flushBacklog();
        if (!appReadingPaused) {
            doRead();
            // A renegotiation or key update that held writes back may have ended while reading.
            flushBacklog();
        }
        if (state == State.FLUSHING && !(lowerEof && appReadingPaused)) {
            state = State.SHUTDOWN;
            doShutdown();
        }
    }

    // ---------------------------------------------------------------- handshake

    private void startHandshake() {
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + " starts SSL handshake");
            handshakeStart = loop.time();
        }
        state = State.DO_HANDSHAKE;
        handshakeTimer = loop.callLater(handshakeTimeout, this::checkHandshakeTimeout);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            onHandshakeComplete(e);
            return;
        }
        pump();
    }

    private void checkHandshakeTimeout() {
        if (state == State.DO_HANDSHAKE) {
            fatalError(new SocketTimeoutException("SSL handshake is taking longer than " + handshakeTimeout
                    + " seconds: aborting the connection"), "SSL handshake failed");
        }
    }

    /** Advances the handshake as far as the input allows; completes it when the engine is done. */
    private void doHandshake() throws SSLException {
        while (state == State.DO_HANDSHAKE) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            SSLEngineResult r;
            switch (hs) {
                case NEED_TASK -> {
                    runDelegatedTasks();
                    continue;
                }
                case NEED_WRAP -> r = wrapAndSend(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    r = unwrapDuringHandshake();
                    if (r == null) {
                        return;
                    }
                }
                default -> {
                    onHandshakeComplete(null);
                    return;
                }
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                onHandshakeComplete(null);
                return;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("The peer closed the connection during the SSL handshake");
            }
        }
    }

    /**
     * Unwraps one handshake record; null when more input is needed. Application data arriving with
     * the last handshake flight is kept for delivery after {@code connectionMade}.
     */
    private SSLEngineResult unwrapDuringHandshake() throws SSLException {
        ByteBuffer in = in();
        if (in == null || !in.hasRemaining()) {
            return null;
        }
        ByteBuffer dst = buffers.takePlain(engine.getSession().getApplicationBufferSize());
        try {
            SSLEngineResult r = engine.unwrap(in, dst);
            if (dst.position() > 0) {
                keepPlain(dst.flip());
            }
            return r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW ? null : r;
        } finally {
            buffers.releasePlain(dst);
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void onHandshakeComplete(Throwable exc) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (exc != null) {
            state = State.UNWRAPPED;
            sendAlert();
            String message = exc.getCause() instanceof CertificateException
                    ? "SSL handshake failed on verifying the certificate" : "SSL handshake failed";
            reportAcceptFailure(exc);
            fatalError(exc, message);
            wakeUpWaiter(exc);
            return;
        }
        state = State.WRAPPED;
        handshakeDone = true;
        if (loop.getDebug()) {
            double ms = (loop.time() - handshakeStart) * 1e3;
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": SSL handshake took " + ms + " ms");
        }
        if (appState == AppState.INIT) {
            appState = AppState.CON_MADE;
            app.connectionMade(appTransport);
        }
        wakeUpWaiter(null);
    }

    /** After a failed handshake, sends the alert the engine prepared, as far as the socket takes it now. */
    private void sendAlert() {
        Transport t = lower;
        if (t == null) {
            return;
        }
        ByteBuffer out = buffers.takeRecords(engine.getSession().getPacketBufferSize());
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                SSLEngineResult r = engine.wrap(NOTHING, out);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            if (out.position() > 0) {
                t.write(out.flip());
            }
        } catch (SSLException | RuntimeException e) {
            // The engine has nothing more to say; the connection is closed anyway.
        } finally {
            buffers.releaseRecords(out);
        }
    }

    private void reportAcceptFailure(Throwable exc) {
        if (reportFailures && loop.getDebug()) {
            Map<String, Object> context = new HashMap<>();
            context.put("message", "Error on transport creation for incoming connection");
            context.put("exception", exc);
            context.put("protocol", app);
            context.put("transport", appTransport);
            loop.callExceptionHandler(context);
        }
    }

    // ---------------------------------------------------------------- reading

    /** The ciphertext to decrypt now: the read being handled, else the stash. */
    private ByteBuffer in() {
        return input != null ? input : stash;
    }

    /**
     * Decrypts what arrived and hands it to the application, until the input runs out, the
     * application pauses reading, or the peer's close_notify arrives. Answers what the engine
     * needs on the way (TLS 1.3 key updates and session tickets, TLS 1.2 renegotiation).
     */
    private void doRead() throws SSLException {
        int recordRoom = engine.getSession().getApplicationBufferSize();
        ByteBuffer dst = buffers.takePlain(recordRoom);
        try {
            while ((state == State.WRAPPED || state == State.FLUSHING) && !appReadingPaused) {
                if (plain != null) {
                    deliverKept();
                    continue;
                }
                serviceEngine();
                ByteBuffer in = in();
                if (in == null || !in.hasRemaining() || engine.isInboundDone()) {
                    break;
                }
                SSLEngineResult r = engine.unwrap(in, dst);
                switch (r.getStatus()) {
                    case OK -> {
                        if (dst.remaining() < recordRoom) {
                            deliver(dst);
                        }
                        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                                && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                            // A handshake message is incomplete: wait for the rest.
                            return;
                        }
                    }
                    case BUFFER_OVERFLOW -> {
                        if (dst.position() == 0) {
                            throw new IllegalStateException("SSL record larger than the read buffer: " + recordRoom);
                        }
                        deliver(dst);
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (dst.position() > 0) {
                            deliver(dst);
                        }
                        return;
                    }
                    case CLOSED -> {
                        if (dst.position() > 0) {
                            deliver(dst);
                        }
                        closeNotifyReceived();
                        return;
                    }
                }
            }
            if (dst.position() > 0) {
                deliver(dst);
            }
        } finally {
            buffers.releasePlain(dst);
        }
    }

    /**
     * Does what the engine asks for outside the handshake: delegated tasks, and records to send (a
     * KeyUpdate answer, a renegotiation message).
     */
    private void serviceEngine() throws SSLException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> {
                    if (wrapAndSend(NOTHING).getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Hands the decrypted bytes in {@code dst} (write mode) to the application; what it leaves is kept. */
    private void deliver(ByteBuffer dst) {
        dst.flip();
        deliverFrom(dst);
        if (dst.hasRemaining()) {
            keepPlain(dst);
        }
        dst.clear();
    }

    private void deliverKept() {
        ByteBuffer p = plain;
        plain = null;
        deliverFrom(p);
        if (p.hasRemaining() && plain == null) {
            plain = p;
        }
    }

    /**
     * Delivers from {@code data} (read mode) while the application reads and the connection is
     * open; consumes what it delivered. Data for an application that aborted is dropped.
     */
    private void deliverFrom(ByteBuffer data) {
        while (data.hasRemaining()) {
            if (state != State.WRAPPED && state != State.FLUSHING) {
                data.position(data.limit());
                return;
            }
            if (appReadingPaused) {
                return;
            }
            BufferedProtocol b = appBuffered;
            if (b == null) {
                appData.dataReceived(data);
                data.position(data.limit());
                return;
            }
            ByteBuffer to = b.getBuffer(data.remaining());
            if (to == null || !to.hasRemaining()) {
                throw new IllegalStateException("get_buffer() returned an empty buffer");
            }
            int n = Math.min(to.remaining(), data.remaining());
            int limit = data.limit();
            data.limit(data.position() + n);
            to.put(data);
            data.limit(limit);
            b.bufferUpdated(n);
        }
    }

    /** Keeps decrypted bytes for later delivery. */
    private void keepPlain(ByteBuffer data) {
        ByteBuffer p = plain;
        if (p == null) {
            p = ByteBuffer.allocate(data.remaining());
            p.put(data).flip();
            plain = p;
            return;
        }
        ByteBuffer grown = ByteBuffer.allocate(p.remaining() + data.remaining());
        grown.put(p).put(data).flip();
        plain = grown;
    }

    /** The peer's close_notify: asyncio tells the application (eofReceived) and starts closing. */
    private void closeNotifyReceived() {
        callEofReceived();
        startShutdown();
    }

    private void callEofReceived() {
        if (appState != AppState.CON_MADE) {
            return;
        }
        appState = AppState.EOF;
        boolean keepOpen;
        try {
            keepOpen = appBuffered != null ? appBuffered.eofReceived() : appData.eofReceived();
        } catch (RuntimeException | Error e) {
            if (e instanceof CancelledError) {
                throw e;
            }
            fatalError(e, "Error calling eof_received()");
            return;
        }
        if (keepOpen) {
            LOG.log(System.Logger.Level.WARNING, "returning true from eof_received() has no effect when using ssl");
        }
    }

    /**
     * asyncio's {@code _control_ssl_reading}: pauses the lower transport when the data held for the
     * application reaches the high-water mark, resumes it at the low-water mark or as soon as the
     * application reads again (what then stays buffered is the start of a record that needs the rest).
     */
    private void controlSslReading() {
        Transport t = lower;
        if (t == null) {
            return;
        }
        long size = getReadBufferSize();
        boolean holding = holdingForApp();
        if (holding && size >= readHigh && size > 0 && !sslReadingPaused) {
            sslReadingPaused = true;
            t.pauseReading();
        } else if ((size <= readLow || !holding) && sslReadingPaused) {
            sslReadingPaused = false;
            t.resumeReading();
        }
    }

    // ---------------------------------------------------------------- the application's reading

    boolean isAppReading() {
        return !appReadingPaused;
    }

    void pauseAppReading() {
        appReadingPaused = true;
    }

    void resumeAppReading() {
        if (appReadingPaused) {
            appReadingPaused = false;
            loop.callSoon(resumeReadingCallback);
        }
    }

    private void resumeAfterPause() {
        if (state == State.WRAPPED || state == State.FLUSHING || state == State.SHUTDOWN) {
            pump();
            controlSslReading();
        }
    }

    // ---------------------------------------------------------------- read flow control

    /**
     * asyncio's {@code get_read_buffer_size}: received bytes not yet delivered, ciphertext not yet
     * decrypted (the stash, or the rest of the read being handled) and decrypted data kept.
     */
    long getReadBufferSize() {
        long size = bufferedCiphertext();
        ByteBuffer in = input;
        if (in != null && in != stash) {
            size += in.remaining();
        }
        ByteBuffer p = plain;
        return p == null ? size : size + p.remaining();
    }

    /** asyncio's {@code set_read_buffer_limits} for TLS transports: 256 KiB by default; applies at once. */
    void setReadBufferLimits(Integer high, Integer low) {
        FlowLimits limits = FlowLimits.of(high, low, READ_HIGH_WATER);
        readHigh = limits.high();
        readLow = limits.low();
        controlSslReading();
    }

    ReadBufferLimits getReadBufferLimits() {
        return new ReadBufferLimits(readLow, readHigh);
    }

    // ---------------------------------------------------------------- writing

    /** As {@link #writeAppData(ByteBuffer[])} for one buffer, without allocating an array per write. */
    void writeAppData(ByteBuffer data) {
        ByteBuffer[] one = single;
        // A write from a flow-control callback inside this one gets an array of its own.
        single = null;
        if (one == null) {
            one = new ByteBuffer[1];
        }
        one[0] = data;
        try {
            writeAppData(one);
        } finally {
            one[0] = null;
            single = one;
        }
    }

    /** Encrypts and sends the remaining bytes of {@code data}, consuming them; asyncio's {@code _write_appdata}. */
    void writeAppData(ByteBuffer[] data) {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            for (ByteBuffer b : data) {
                b.position(b.limit());
            }
            if (connLost >= SelectorTransport.LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "SSL connection is closed");
            }
            connLost++;
            return;
        }
        try {
            if (state == State.WRAPPED && (backlog == null || backlog.isEmpty())) {
                wrapAndSend(data);
            }
            for (ByteBuffer b : data) {
                if (b.hasRemaining()) {
                    appendBacklog(b);
                }
            }
        } catch (SSLException e) {
            fatalError(e, "Fatal error on SSL protocol");
            return;
        }
        controlAppWriting();
    }

    private void appendBacklog(ByteBuffer b) {
        if (backlog == null) {
            backlog = new ArrayDeque<>();
        }
        ByteBuffer copy = ByteBuffer.allocate(b.remaining());
        copy.put(b).flip();
        backlog.addLast(copy);
        backlogSize += copy.remaining();
    }

    /** Encrypts and sends what the application wrote while the engine could not take it. */
    private void flushBacklog() throws SSLException {
        if (backlog == null || backlog.isEmpty() || state == State.UNWRAPPED || engine.isOutboundDone()) {
            return;
        }
        ByteBuffer[] pending = backlog.toArray(new ByteBuffer[0]);
        wrapAndSend(pending);
        ByteBuffer head;
        while ((head = backlog.peekFirst()) != null && !head.hasRemaining()) {
            backlog.pollFirst();
        }
        long size = 0;
        for (ByteBuffer b : backlog) {
            size += b.remaining();
        }
        backlogSize = size;
        controlAppWriting();
    }

    private void clearBacklog() {
        if (backlog != null) {
            backlog.clear();
        }
        backlogSize = 0;
    }

    /**
     * Encrypts what the engine takes of {@code srcs} (and whatever handshake records it wants to
     * send meanwhile) and hands the records to the lower transport, in batches as large as the
     * shared buffer. Stops when everything is sent or the engine takes nothing more (a handshake
     * in progress holds application data back).
     *
     * @return the last result, whose handshake status tells whether the handshake finished
     */
    private SSLEngineResult wrapAndSend(ByteBuffer[] srcs) throws SSLException {
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer out = buffers.takeRecords(packet);
        SSLEngineResult last = null;
        try {
            while (true) {
                SSLEngineResult r = engine.wrap(srcs, out);
                last = r;
                SSLEngineResult.Status status = r.getStatus();
                if (status == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (out.position() == 0) {
                        throw new IllegalStateException("SSL record larger than the write buffer: " + packet);
                    }
                    send(out);
                    continue;
                }
                if (out.remaining() < packet) {
                    send(out);
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                    hs = engine.getHandshakeStatus();
                }
                if (status == SSLEngineResult.Status.CLOSED || hs == HandshakeStatus.FINISHED) {
                    break;
                }
                boolean more = hs == HandshakeStatus.NEED_WRAP || hasRemaining(srcs) && r.bytesConsumed() > 0;
                if (!more) {
                    break;
                }
            }
            if (out.position() > 0) {
                send(out);
            }
        } finally {
            buffers.releaseRecords(out);
        }
        return last;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs) {
        for (ByteBuffer b : srcs) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Hands the records in {@code out} (write mode) to the lower transport and clears it. */
    private void send(ByteBuffer out) {
        Transport t = lower;
        out.flip();
        if (t != null) {
            t.write(out);
        }
        out.clear();
    }

    // ---------------------------------------------------------------- write flow control

    long getWriteBufferSize() {
        Transport t = lower;
        return backlogSize + (t != null ? t.getWriteBufferSize() : 0);
    }

    /** asyncio's {@code set_write_buffer_limits} for TLS transports: 512 KiB by default. */
    void setWriteBufferLimits(Integer high, Integer low) {
        FlowLimits limits = FlowLimits.of(high, low, WRITE_HIGH_WATER);
        writeHigh = limits.high();
        writeLow = limits.low();
        Transport t = lower;
        if (t != null) {
            t.setWriteBufferLimits(writeHigh, writeLow);
        }
        controlAppWriting();
    }

    WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(writeLow, writeHigh);
    }

    /** Pauses the application above the high-water mark, resumes it at or below the low-water mark. */
    private void controlAppWriting() {
        long size = getWriteBufferSize();
        if (size > writeHigh && !appWritingPaused) {
            appWritingPaused = true;
            try {
                app.pauseWriting();
            } catch (RuntimeException e) {
                reportFlowControlFailure("protocol.pause_writing() failed", e);
            }
        } else if (size <= writeLow && appWritingPaused) {
            appWritingPaused = false;
            try {
                app.resumeWriting();
            } catch (RuntimeException e) {
                reportFlowControlFailure("protocol.resume_writing() failed", e);
            }
        }
    }

    private void reportFlowControlFailure(String message, RuntimeException e) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", e);
        context.put("transport", appTransport);
        context.put("protocol", this);
        loop.callExceptionHandler(context);
    }

    // ---------------------------------------------------------------- closing

    /** The application closed its transport: flush, then exchange close_notify; asyncio's {@code _start_shutdown}. */
    void startShutdown() {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            return;
        }
        appTransport.markClosed();
        if (state == State.DO_HANDSHAKE) {
            abort(null);
            return;
        }
        state = State.FLUSHING;
        shutdownTimer = loop.callLater(shutdownTimeout, this::checkShutdownTimeout);
        pump();
        // Data held for a paused application is dropped now: read on, towards the peer's close_notify.
        controlSslReading();
    }

    private void checkShutdownTimeout() {
        if (state == State.FLUSHING || state == State.SHUTDOWN) {
            Transport t = lower;
            if (t != null) {
                forceClose(t, new SocketTimeoutException("SSL shutdown timed out"));
            }
        }
    }

    /**
     * Sends close_notify and waits for the peer's (reading on, discarding data), unless the peer
     * already closed its end; then closes the lower transport.
     */
    private void doShutdown() throws SSLException {
        if (shutdownDone) {
            return;
        }
        if (!lowerEof) {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                wrapAndSend(NOTHING);
            }
            if (!engine.isInboundDone() && !awaitCloseNotify()) {
                return;
            }
        }
        callEofReceived();
        onShutdownComplete(null);
    }

    /** Reads towards the peer's close_notify, dropping data; true once it arrived. */
    private boolean awaitCloseNotify() throws SSLException {
        ByteBuffer dst = buffers.takePlain(engine.getSession().getApplicationBufferSize());
        try {
            while (true) {
                ByteBuffer in = in();
                if (in == null || !in.hasRemaining()) {
                    return false;
                }
                dst.clear();
                SSLEngineResult r = engine.unwrap(in, dst);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED || engine.isInboundDone()) {
                    return true;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    return false;
                }
                serviceEngine();
            }
        } finally {
            buffers.releasePlain(dst);
        }
    }

    private void onShutdownComplete(Throwable exc) {
        shutdownDone = true;
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        if (exc != null) {
            fatalError(exc, "Fatal error on transport");
            return;
        }
        Transport t = lower;
        if (t != null) {
            loop.callSoon(t::close);
        }
    }

    /** Closes at once; asyncio's {@code _abort}. {@code exc} (may be null) goes to connectionLost. */
    void abort(Throwable exc) {
        state = State.UNWRAPPED;
        Transport t = lower;
        if (t != null) {
            if (exc == null) {
                t.abort();
            } else {
                forceClose(t, exc);
            }
        }
    }

    private static void forceClose(Transport t, Throwable exc) {
        if (t instanceof SelectorTransport s) {
            s.forceClose(exc);
        } else if (t instanceof SslTransport s) {
            s.forceClose(exc);
        } else {
            t.abort();
        }
    }

    /** asyncio's {@code _fatal_error}: closes at once; reports errors that are not I/O errors. */
    private void fatalError(Throwable exc, String message) {
        Transport t = lower;
        if (t != null) {
            forceClose(t, exc);
        }
        if (exc instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": " + message, exc);
        } else if (!(exc instanceof CancelledError)) {
            Map<String, Object> context = new HashMap<>();
            context.put("message", message);
            context.put("exception", exc);
            context.put("transport", t != null ? t : appTransport);
            context.put("protocol", this);
            loop.callExceptionHandler(context);
        }
    }

    private void wakeUpWaiter(Throwable exc) {
        Future<Void> w = waiter;
        if (w == null) {
            return;
        }
        waiter = null;
        if (!w.done()) {
            if (exc != null) {
                w.setException(exc);
            } else {
                w.setResult(null);
            }
        }
    }

    private void cancelTimers() {
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    // ---------------------------------------------------------------- information

    /**
     * asyncio's {@code _get_extra_info}: the TLS keys once the handshake is done, else the lower
     * transport's information.
     */
    Object getExtraInfo(String name, Object defaultValue) {
        if (name.equals("sslcontext")) {
            return context;
        }
        if (handshakeDone) {
            SSLSession session = engine.getSession();
            switch (name) {
                case "ssl_object":
                    return engine;
                case "ssl_session":
                    return session;
                case "peercert":
                    List<Certificate> chain = peerChain(session);
                    return chain.isEmpty() ? null : chain.get(0);
                case "peercert_chain":
                    return peerChain(session);
                case "cipher":
                    return session.getCipherSuite();
                case "tls_version":
                    return session.getProtocol();
                case "compression":
                    return null;
                case "alpn_protocol":
                    String selected = engine.getApplicationProtocol();
                    return selected == null || selected.isEmpty() ? null : selected;
                default:
                    break;
            }
        }
        Transport t = lower;
        return t != null ? t.getExtraInfo(name, defaultValue) : defaultValue;
    }

    private static List<Certificate> peerChain(SSLSession session) {
        try {
            return List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "SslProtocol[" + state + (engine.getUseClientMode() ? ", client" : ", server") + ", lower=" + lower + "]";
    }
}
