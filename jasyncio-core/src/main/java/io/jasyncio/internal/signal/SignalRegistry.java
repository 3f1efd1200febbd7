package io.jasyncio.internal.signal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The process-wide table of POSIX signal handlers installed by jasyncio. Signals belong to the
 * process, so each signal has at most one jasyncio handler at a time; the JVM's own handler is
 * kept and restored when the jasyncio one is removed.
 */
public final class SignalRegistry {
    private static final String[] NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "EMT", "INFO"
    };
    private static final Map<Integer, String> BY_NUMBER = new HashMap<>();
    private static final Map<String, Installed> INSTALLED = new HashMap<>();

    static {
        for (String name : NAMES) {
            try {
                BY_NUMBER.putIfAbsent(new Signal(name).getNumber(), name);
            } catch (IllegalArgumentException notOnThisOs) {
                // Signal sets differ between Linux, macOS and the BSDs.
            }
        }
    }

    private SignalRegistry() {
    }

    /**
     * The canonical name ({@code INT}) of a signal given as {@code INT}, {@code SIGINT} or {@code sigint}.
     *
     * @throws IllegalArgumentException if this OS has no such signal
     */
    public static String canonicalName(String sig) {
        Objects.requireNonNull(sig, "sig");
        String name = sig.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        try {
            new Signal(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sig: unknown signal '" + sig + "'");
        }
        return name;
    }

    /**
     * The canonical name of the signal numbered {@code signum}.
     *
     * @throws IllegalArgumentException if this OS has no such signal
     */
    public static String nameOf(int signum) {
        String name = BY_NUMBER.get(signum);
        if (name == null) {
            throw new IllegalArgumentException("sig: no signal numbered " + signum);
        }
        return name;
    }

    /** The number of the signal named {@code name} (canonical form). */
    public static int numberOf(String name) {
        return new Signal(name).getNumber();
    }

    /**
     * Routes signal {@code name} to {@code dispatch} (called on the JVM's signal thread) on behalf
     * of {@code owner}, replacing any earlier jasyncio handler of that signal.
     *
     * @throws IllegalArgumentException if the JVM reserves the signal
     */
    public static synchronized void install(String name, Object owner, Consumer<String> dispatch) {
        Installed current = INSTALLED.get(name);
        if (current != null) {
            INSTALLED.put(name, new Installed(owner, dispatch, current.previous));
            return;
        }
        Signal signal = new Signal(name);
        SignalHandler ours = s -> deliver(name);
        SignalHandler previous;
        try {
            previous = Signal.handle(signal, ours);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sig: SIG" + name + " cannot be handled: " + e.getMessage());
        }
        if (String.valueOf(previous).contains("NativeHandler")) {
            // A native handler means the VM itself relies on this signal (SIGBUS for mapped
            // files, SIGPIPE...): give it back. sun.misc wraps it, so only its name tells.
            Signal.handle(signal, previous);
            throw new IllegalArgumentException("sig: SIG" + name + " is reserved by the JVM");
        }
        INSTALLED.put(name, new Installed(owner, dispatch, previous));
    }

    /** Removes {@code owner}'s handler of signal {@code name}; returns whether it had one. */
    public static synchronized boolean remove(String name, Object owner) {
        Installed current = INSTALLED.get(name);
        if (current == null || current.owner != owner) {
            return false;
        }
        INSTALLED.remove(name);
        Signal.handle(new Signal(name), current.previous);
        return true;
    }

    /** Removes every handler {@code owner} installed. */
    public static synchronized void removeAll(Object owner) {
        INSTALLED.entrySet().removeIf(e -> {
            if (e.getValue().owner != owner) {
                return false;
            }
            Signal.handle(new Signal(e.getKey()), e.getValue().previous);
            return true;
        });
    }

    /** Whether a jasyncio handler of signal {@code name} is installed, by anyone. */
    public static synchronized boolean isHandled(String name) {
        return INSTALLED.containsKey(name);
    }

    /**
     * Removes {@code owner}'s handler of {@code name} and sends the signal again, so that the
     * JVM's own handler acts on it (for SIGINT: shutdown, exit status 130).
     */
    public static void reraise(String name, Object owner) {
        remove(name, owner);
        Signal.raise(new Signal(name));
    }

    private static void deliver(String name) {
        Installed current;
        synchronized (SignalRegistry.class) {
            current = INSTALLED.get(name);
        }
        if (current != null) {
            current.dispatch.accept(name);
        }
    }

    private record Installed(Object owner, Consumer<String> dispatch, SignalHandler previous) {
    }
}
