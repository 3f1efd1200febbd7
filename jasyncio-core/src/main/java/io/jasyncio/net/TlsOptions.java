package io.jasyncio.net;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * TLS for a connection or a server: asyncio's {@code ssl=} argument together with
 * {@code server_hostname}, {@code ssl_handshake_timeout} and {@code ssl_shutdown_timeout}. Passing
 * a {@code TlsOptions} to {@link io.jasyncio.EventLoop#createConnection createConnection},
 * {@link io.jasyncio.Asyncio#openConnection openConnection},
 * {@link io.jasyncio.EventLoop#createServer createServer},
 * {@link io.jasyncio.Asyncio#startServer startServer} or
 * {@link io.jasyncio.EventLoop#startTls startTls} runs the connection over TLS: the protocol or the
 * streams see plaintext, exactly as over TCP. Start from {@link #DEFAULT} (a client with the JDK's
 * default {@link SSLContext}, asyncio's {@code ssl=True}) or {@link #of(SSLContext)} and use the
 * {@code with...} methods.
 *
 * <p>Clients verify the server: its certificate chain against the context's trust managers, and by
 * default its host name ({@code checkHostname}, the JDK's "HTTPS" endpoint identification against
 * {@code serverHostname}). A server needs a context with a key manager holding its certificate.
 *
 * <p>Once the handshake is done, {@link BaseTransport#getExtraInfo(String) getExtraInfo} on a TLS
 * transport (or its {@link StreamWriter}) answers asyncio's keys {@code "sslcontext"} (the
 * {@link SSLContext}), {@code "ssl_object"} (the connection's {@link javax.net.ssl.SSLEngine}),
 * {@code "peercert"} (the peer's {@link java.security.cert.X509Certificate}, or null),
 * {@code "cipher"} (the cipher suite's name) and {@code "compression"} (always null), and also
 * {@code "ssl_session"} (the {@link javax.net.ssl.SSLSession}), {@code "peercert_chain"} (a
 * {@code List<Certificate>}), {@code "tls_version"} (such as {@code "TLSv1.3"}) and
 * {@code "alpn_protocol"} (the negotiated protocol, or null), besides the socket's keys.
 *
 * @param context the TLS context; null means the JDK's default context
 *     ({@link SSLContext#getDefault()}, trusting the JDK's CA certificates), which only clients may
 *     use
 * @param serverHostname clients only: the name the server's certificate must match and that is
 *     sent as SNI; null means the host connected to; the empty string sends no SNI and requires
 *     {@code checkHostname} to be false
 * @param checkHostname clients only: whether the server's certificate must match
 *     {@code serverHostname} (true by default, as asyncio's default context)
 * @param sslHandshakeTimeout how long the handshake may take before the connection is aborted;
 *     null means asyncio's 60 seconds
 * @param sslShutdownTimeout how long closing waits for the peer's close_notify before the connection
 *     is aborted; null means asyncio's 30 seconds
 * @param alpnProtocols the ALPN protocols offered (client) or accepted in order of preference
 *     (server); empty for no ALPN. A server picks the first of its protocols that the client offers,
 *     and goes on without ALPN when there is none, as OpenSSL does
 * @param parameters a hook that adjusts each connection's {@link SSLParameters} after the options
 *     above are applied: protocols, cipher suites, {@code setNeedClientAuth} and so on; null for none
 */
public record TlsOptions(SSLContext context, String serverHostname, boolean checkHostname, Duration sslHandshakeTimeout,
        Duration sslShutdownTimeout, List<String> alpnProtocols, Consumer<SSLParameters> parameters) {

    /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}: 60 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** asyncio's {@code SSL_SHUTDOWN_TIMEOUT}: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** A client with the JDK's default context, verifying the server and its host name: asyncio's {@code ssl=True}. */
    public static final TlsOptions DEFAULT = new TlsOptions(null, null, true, null, null, List.of(), null);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if a timeout is zero or negative, or an ALPN protocol is
     *     empty or longer than 255 bytes
     * @throws NullPointerException if {@code alpnProtocols} or one of its elements is null
     */
    public TlsOptions {
        checkTimeout("sslHandshakeTimeout", sslHandshakeTimeout);
        checkTimeout("sslShutdownTimeout", sslShutdownTimeout);
        alpnProtocols = List.copyOf(alpnProtocols);
        for (String p : alpnProtocols) {
            int n = p.getBytes(StandardCharsets.UTF_8).length;
            if (n < 1 || n > 255) {
                throw new IllegalArgumentException("ALPN protocols must be 1 to 255 bytes long: '" + p + "'");
            }
        }
    }

    private static void checkTimeout(String name, Duration timeout) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException(name + " should be a positive duration, got " + timeout);
        }
    }

    /** Options using {@code context}, with every other option at its default. */
    public static TlsOptions of(SSLContext context) {
        return DEFAULT.withContext(context);
    }

    /** These options with {@code context} replaced; null means the JDK's default context. */
    public TlsOptions withContext(SSLContext context) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, sslShutdownTimeout,
                alpnProtocols, parameters);
    }

    /** These options with {@code serverHostname} replaced. */
    public TlsOptions withServerHostname(String serverHostname) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, sslShutdownTimeout,
                alpnProtocols, parameters);
    }

    /** These options with {@code checkHostname} replaced. */
    public TlsOptions withCheckHostname(boolean checkHostname) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, sslShutdownTimeout,
                alpnProtocols, parameters);
    }

    /**
     * These options with {@code sslHandshakeTimeout} replaced.
     *
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public TlsOptions withSslHandshakeTimeout(Duration timeout) {
        return new TlsOptions(context, serverHostname, checkHostname, timeout, sslShutdownTimeout, alpnProtocols,
                parameters);
    }

    /**
     * These options with {@code sslHandshakeTimeout} set to {@code seconds}, asyncio's float seconds.
     *
     * @throws IllegalArgumentException if {@code seconds} is not a positive number
     */
    public TlsOptions withSslHandshakeTimeout(double seconds) {
        return withSslHandshakeTimeout(positiveSeconds("sslHandshakeTimeout", seconds));
    }

    /**
     * These options with {@code sslShutdownTimeout} replaced.
     *
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public TlsOptions withSslShutdownTimeout(Duration timeout) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, timeout, alpnProtocols,
                parameters);
    }

    /**
     * These options with {@code sslShutdownTimeout} set to {@code seconds}, asyncio's float seconds.
     *
     * @throws IllegalArgumentException if {@code seconds} is not a positive number
     */
    public TlsOptions withSslShutdownTimeout(double seconds) {
        return withSslShutdownTimeout(positiveSeconds("sslShutdownTimeout", seconds));
    }

    private static Duration positiveSeconds(String name, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(name + " should be a positive number, got " + seconds);
        }
        return Duration.ofNanos((long) Math.ceil(Math.min(seconds, 1e9) * 1e9));
    }

    /** These options offering (client) or accepting (server) the ALPN {@code protocols}, most preferred first. */
    public TlsOptions withAlpnProtocols(String... protocols) {
        return withAlpnProtocols(List.of(protocols));
    }

    /** These options with {@code alpnProtocols} replaced. */
    public TlsOptions withAlpnProtocols(List<String> protocols) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, sslShutdownTimeout, protocols,
                parameters);
    }

    /** These options with the {@code parameters} hook replaced. */
    public TlsOptions withParameters(Consumer<SSLParameters> parameters) {
        return new TlsOptions(context, serverHostname, checkHostname, sslHandshakeTimeout, sslShutdownTimeout,
                alpnProtocols, parameters);
    }

    /** The handshake timeout in effect: the given one or 60 seconds. */
    public Duration effectiveHandshakeTimeout() {
        return sslHandshakeTimeout != null ? sslHandshakeTimeout : DEFAULT_HANDSHAKE_TIMEOUT;
    }

    /** The shutdown timeout in effect: the given one or 30 seconds. */
    public Duration effectiveShutdownTimeout() {
        return sslShutdownTimeout != null ? sslShutdownTimeout : DEFAULT_SHUTDOWN_TIMEOUT;
    }
}
