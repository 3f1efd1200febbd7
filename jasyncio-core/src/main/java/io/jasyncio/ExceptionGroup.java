package io.jasyncio;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Several exceptions raised together: Python's {@code ExceptionGroup} (PEP 654), raised by
 * {@link TaskGroup} with every error of its tasks (and of its body). Groups nest: a member may
 * itself be a group, as when an inner task group fails inside an outer one.
 *
 * <p>A group is unchecked and may hold any {@link Throwable}, so it plays the part of both
 * {@code ExceptionGroup} and {@code BaseExceptionGroup}. {@link #getMessage()} is Python's
 * {@code str(eg)}, e.g. {@code "unhandled errors in a TaskGroup (2 sub-exceptions)"};
 * {@link #message()} is the bare message. {@link #printStackTrace()} prints the group's own trace
 * followed by each member's, numbered and indented as Python's traceback does.
 *
 * <p>Java has no {@code except*}; {@link #split} and {@link #subgroup} do its work:
 * <pre>{@code
 * } catch (ExceptionGroup eg) {
 *     ExceptionGroup.Split s = eg.split(IOException.class);
 *     if (s.match() != null) handleIo(s.match().exceptions());
 *     if (s.rest() != null) throw s.rest();
 * }
 * }</pre>
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @serial the bare message, without the count of sub-exceptions */
    private final String message;
    /** @serial the members, in order */
    @SuppressWarnings("serial")  // always an unmodifiable ArrayList, which is serializable
    private final List<Throwable> exceptions;

    /**
     * Creates a group of {@code exceptions} with a message.
     *
     * @throws NullPointerException if {@code message}, {@code exceptions} or one of them is null
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(describe(message, exceptions));
        this.message = message;
        this.exceptions = Collections.unmodifiableList(new ArrayList<>(exceptions));
    }

    private static String describe(String message, List<? extends Throwable> exceptions) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(exceptions, "exceptions");
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("exceptions must be a non-empty list: " + exceptions);
        }
        for (int i = 0; i < exceptions.size(); i++) {
            if (exceptions.get(i) == null) {
                throw new NullPointerException("exceptions[" + i + "] is null");
            }
        }
        int n = exceptions.size();
        return message + " (" + n + (n == 1 ? " sub-exception)" : " sub-exceptions)");
    }

    /** The message given to the constructor, without the count of members: Python's {@code eg.message}. */
    public String message() {
        return message;
    }

    /** The members, in order; unmodifiable. Python's {@code eg.exceptions}. */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /**
     * The members that are instances of {@code type}, nested groups filtered the same way and
     * kept as groups, or null if none is. This group itself if it is a {@code type}, or if every
     * member matches. The derived groups keep this group's message, stack trace and cause.
     */
    public ExceptionGroup subgroup(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return subgroup(type::isInstance);
    }

    /**
     * As {@link #subgroup(Class)} for the members (and nested groups, and this group) that
     * satisfy {@code condition}: Python's {@code eg.subgroup(condition)}.
     */
    public ExceptionGroup subgroup(Predicate<? super Throwable> condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.test(this)) {
            return this;
        }
        List<Throwable> kept = new ArrayList<>();
        boolean modified = false;
        for (Throwable e : exceptions) {
            if (e instanceof ExceptionGroup group) {
                ExceptionGroup sub = group.subgroup(condition);
                modified |= sub != group;
                if (sub != null) {
                    kept.add(sub);
                }
            } else if (condition.test(e)) {
                kept.add(e);
            } else {
                modified = true;
            }
        }
        if (!modified) {
            return this;
        }
        return kept.isEmpty() ? null : deriveAndCopy(kept);
    }

    /**
     * This group split in two: the members that are instances of {@code type} and those that are
     * not, nested groups split the same way; Python's {@code eg.split(type)}. Either side is null
     * when empty; a whole group that is a {@code type} goes to the matching side as it is.
     */
    public Split split(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return split(type::isInstance);
    }

    /** As {@link #split(Class)} by {@code condition}: Python's {@code eg.split(condition)}. */
    public Split split(Predicate<? super Throwable> condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> matching = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable e : exceptions) {
            if (e instanceof ExceptionGroup group) {
                Split s = group.split(condition);
                if (s.match() != null) {
                    matching.add(s.match());
                }
                if (s.rest() != null) {
                    rest.add(s.rest());
                }
            } else if (condition.test(e)) {
                matching.add(e);
            } else {
                rest.add(e);
            }
        }
        return new Split(matching.isEmpty() ? null : deriveAndCopy(matching),
                rest.isEmpty() ? null : deriveAndCopy(rest));
    }

    /**
     * A new group of the same kind with this group's message and {@code exceptions} as members:
     * Python's {@code eg.derive(excs)}, used by {@link #split} and {@link #subgroup}. Subclasses
     * with other constructors override it to return their own type.
     */
    public ExceptionGroup derive(List<? extends Throwable> exceptions) {
        return new ExceptionGroup(message, exceptions);
    }

    private ExceptionGroup deriveAndCopy(List<Throwable> members) {
        ExceptionGroup derived = derive(members);
        derived.setStackTrace(getStackTrace());
        Throwable cause = getCause();
        if (cause != null && derived.getCause() == null) {
            derived.initCause(cause);
        }
        for (Throwable s : getSuppressed()) {
            derived.addSuppressed(s);
        }
        return derived;
    }

    /** The two sides of {@link #split}: {@code match} and {@code rest}, each null when empty. */
    public record Split(ExceptionGroup match, ExceptionGroup rest) {
    }

    /** {@link #getMessage()} followed by the members' own descriptions, e.g. {@code [java.io.IOException: x, ...]}. */
    @Override
    public String toString() {
        return super.toString() + " " + exceptions;
    }

    /** Prints the group's own trace, then each member's trace numbered and indented under it. */
    @Override
    public void printStackTrace(PrintStream s) {
        s.print(formatTrace());
    }

    /** As {@link #printStackTrace(PrintStream)}. */
    @Override
    public void printStackTrace(PrintWriter s) {
        s.print(formatTrace());
    }

    private String formatTrace() {
        StringWriter own = new StringWriter();
        super.printStackTrace(new PrintWriter(own, true));
        StringBuilder out = new StringBuilder(own.toString());
        for (int i = 0; i < exceptions.size(); i++) {
            String label = " " + (i + 1) + " ";
            out.append(i == 0 ? "  +-+" : "    +").append("-".repeat(16)).append(label).append("-".repeat(16)).append('\n');
            StringWriter member = new StringWriter();
            exceptions.get(i).printStackTrace(new PrintWriter(member, true));
            member.toString().lines().forEach(line -> out.append("    | ").append(line).append('\n'));
        }
        return out.append("    +").append("-".repeat(36)).append('\n').toString();
    }
}
