package io.jasyncio.subprocess;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.util.Objects;

/**
 * Where a child process's standard stream goes: asyncio's {@code subprocess.PIPE},
 * {@code DEVNULL}, {@code STDOUT} and {@code None} (inherit), plus files through a
 * {@link Redirect}. Used in {@link SubprocessOptions}.
 */
public final class Stdio {
    private enum Kind { PIPE, DEVNULL, STDOUT, INHERIT, REDIRECT }

    /** A pipe to this process: the stream becomes the {@link Subprocess}'s stdin, stdout or stderr. */
    public static final Stdio PIPE = new Stdio(Kind.PIPE, null);

    /** The null device: the child reads end-of-file on stdin, and its output is discarded. */
    public static final Stdio DEVNULL = new Stdio(Kind.DEVNULL, null);

    /** For stderr only: the child's stderr goes wherever its stdout goes. */
    public static final Stdio STDOUT = new Stdio(Kind.STDOUT, null);

    /** The child shares this JVM's stream (asyncio's {@code None}, the default). */
    public static final Stdio INHERIT = new Stdio(Kind.INHERIT, null);

    /** The null device, read when DEVNULL is a child's stdin. */
    private static final File DEV_NULL = new File("/dev/null");

    private final Kind kind;
    private final Redirect redirect;

    private Stdio(Kind kind, Redirect redirect) {
        this.kind = kind;
        this.redirect = redirect;
    }

    /**
     * The stream as {@code redirect} says: typically {@link Redirect#from} a file for stdin, and
     * {@link Redirect#to} or {@link Redirect#appendTo} a file for stdout and stderr.
     * {@link Redirect#PIPE}, {@link Redirect#INHERIT} and {@link Redirect#DISCARD} give
     * {@link #PIPE}, {@link #INHERIT} and {@link #DEVNULL}. Whether the redirect suits the stream
     * is checked when the process is created.
     */
    public static Stdio of(Redirect redirect) {
        Objects.requireNonNull(redirect, "redirect");
        return switch (redirect.type()) {
            case PIPE -> PIPE;
            case INHERIT -> INHERIT;
            default -> redirect.equals(Redirect.DISCARD) ? DEVNULL : new Stdio(Kind.REDIRECT, redirect);
        };
    }

    /** Whether this is {@link #PIPE}. */
    public boolean isPipe() {
        return kind == Kind.PIPE;
    }

    /** Whether this is {@link #STDOUT}. */
    public boolean isStdout() {
        return kind == Kind.STDOUT;
    }

    /**
     * The {@link Redirect} that gives this stream to a child; for {@link #STDOUT}, null (it is
     * {@link ProcessBuilder#redirectErrorStream(boolean)} instead).
     *
     * @param input whether the redirect is for the child's stdin
     */
    public Redirect toRedirect(boolean input) {
        return switch (kind) {
            case PIPE -> Redirect.PIPE;
            case DEVNULL -> input ? Redirect.from(DEV_NULL) : Redirect.DISCARD;
            case INHERIT -> Redirect.INHERIT;
            case STDOUT -> null;
            case REDIRECT -> redirect;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stdio s && s.kind == kind && Objects.equals(s.redirect, redirect);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Objects.hashCode(redirect);
    }

    @Override
    public String toString() {
        return kind == Kind.REDIRECT ? "Stdio[" + redirect + "]" : kind.name();
    }
}
