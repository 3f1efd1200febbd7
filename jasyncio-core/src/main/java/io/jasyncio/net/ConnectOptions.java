package io.jasyncio.net;

import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Objects;

/**
 * The keyword arguments of asyncio's {@code create_connection} and {@code open_connection}. A null
 * field means "not given". Start from {@link #DEFAULT} and use the {@code with...} methods.
 *
 * @param family the address family to connect over: {@link StandardProtocolFamily#INET} or
 *     {@link StandardProtocolFamily#INET6}; null for any
 * @param localAddr the local address to bind to before connecting; may be unresolved (it is then
 *     resolved off the loop like the host); null to let the system choose
 * @param happyEyeballsDelay with several addresses, how long to wait for one connection attempt
 *     before starting the next in parallel (RFC 8305 "Happy Eyeballs", asyncio's
 *     {@code happy_eyeballs_delay}); null to try the addresses one after another
 * @param interleave how the addresses are reordered by family before trying them: 0 keeps the
 *     resolver's order, 1 alternates families, {@code n} takes {@code n - 1} addresses of the first
 *     family before alternating; null means 1 when {@code happyEyeballsDelay} is given, else 0
 * @param allErrors when every attempt fails, throw one exception carrying each attempt's error as a
 *     suppressed exception (asyncio's {@code all_errors=True} raises an ExceptionGroup)
 */
public record ConnectOptions(ProtocolFamily family, InetSocketAddress localAddr, Duration happyEyeballsDelay,
        Integer interleave, boolean allErrors) {

    /** No options given. */
    public static final ConnectOptions DEFAULT = new ConnectOptions(null, null, null, null, false);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if {@code family} is neither INET nor INET6, or
     *     {@code happyEyeballsDelay} or {@code interleave} is negative
     */
    public ConnectOptions {
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family must be INET, INET6 or null: " + family);
        }
        if (happyEyeballsDelay != null && happyEyeballsDelay.isNegative()) {
            throw new IllegalArgumentException("happyEyeballsDelay must not be negative: " + happyEyeballsDelay);
        }
        if (interleave != null && interleave < 0) {
            throw new IllegalArgumentException("interleave must not be negative: " + interleave);
        }
    }

    /**
     * These options with {@code family} replaced.
     *
     * @throws IllegalArgumentException if {@code family} is neither INET, INET6 nor null
     */
    public ConnectOptions withFamily(ProtocolFamily family) {
        return new ConnectOptions(family, localAddr, happyEyeballsDelay, interleave, allErrors);
    }

    /** These options with {@code localAddr} replaced. */
    public ConnectOptions withLocalAddr(InetSocketAddress localAddr) {
        return new ConnectOptions(family, localAddr, happyEyeballsDelay, interleave, allErrors);
    }

    /**
     * These options with {@code happyEyeballsDelay} replaced (null: no Happy Eyeballs).
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public ConnectOptions withHappyEyeballsDelay(Duration delay) {
        return new ConnectOptions(family, localAddr, delay, interleave, allErrors);
    }

    /**
     * These options with {@code happyEyeballsDelay} set to {@code seconds} (asyncio's float seconds;
     * RFC 8305 recommends 0.25).
     *
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public ConnectOptions withHappyEyeballsDelay(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("happyEyeballsDelay must be a non-negative number of seconds: " + seconds);
        }
        return withHappyEyeballsDelay(Duration.ofNanos((long) Math.ceil(Math.min(seconds, 1e9) * 1e9)));
    }

    /**
     * These options with {@code interleave} replaced (null: the default).
     *
     * @throws IllegalArgumentException if {@code interleave} is negative
     */
    public ConnectOptions withInterleave(Integer interleave) {
        return new ConnectOptions(family, localAddr, happyEyeballsDelay, interleave, allErrors);
    }

    /** These options with {@code allErrors} replaced. */
    public ConnectOptions withAllErrors(boolean allErrors) {
        return new ConnectOptions(family, localAddr, happyEyeballsDelay, interleave, allErrors);
    }

    /** The interleave in effect: the given one, else 1 with Happy Eyeballs, else 0. */
    public int effectiveInterleave() {
        return Objects.requireNonNullElse(interleave, happyEyeballsDelay != null ? 1 : 0);
    }
}
