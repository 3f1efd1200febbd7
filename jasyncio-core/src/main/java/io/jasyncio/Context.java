package io.jasyncio;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A set of {@link ContextVar} values, Python's {@code contextvars.Context}. Every task runs in its
 * own context, by default a copy of the one current when it was created, so a value set inside
 * a task is seen by the code it calls and by the tasks it creates, but not by its creator.
 * Callbacks run in the context they were scheduled from.
 *
 * <p>A context is entered with {@link #run}; inside, {@link ContextVar#set} changes this context.
 * Copies are cheap: the values are an immutable map shared until one side sets a variable.
 * A context is confined to the thread (or loop) running it.
 */
public final class Context {
    private static final ThreadLocal<Context> THREAD_CURRENT = ThreadLocal.withInitial(Context::new);

    Map<ContextVar<?>, Object> values;
    private boolean entered;

    /** Creates an empty context. */
    public Context() {
        this.values = Map.of();
    }

    private Context(Map<ContextVar<?>, Object> values) {
        this.values = values;
    }

    /** A copy of the current context: Python's {@code contextvars.copy_context()}. */
    public static Context copyCurrent() {
        return current().copy();
    }

    /** A context holding the same values as this one; later sets on either side are not shared. */
    public Context copy() {
        return new Context(values);
    }

    /**
     * The context of the running task or callback; on a thread outside any loop, that thread's own
     * context.
     */
    public static Context current() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            return loop.currentContext();
        }
        return THREAD_CURRENT.get();
    }

    /**
     * Runs {@code body} with this context entered, then restores the previous one.
     *
     * @throws IllegalStateException if this context is already entered (Python's RuntimeError)
     */
    public <T> T run(Callable<T> body) throws Exception {
        if (entered) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        EventLoop loop = EventLoop.runningOrNull();
        Context previous = loop != null ? loop.swapContext(this) : swapThreadContext(this);
        entered = true;
        try {
            return body.call();
        } finally {
            entered = false;
            if (loop != null) {
                loop.swapContext(previous);
            } else {
                swapThreadContext(previous);
            }
        }
    }

    private static Context swapThreadContext(Context next) {
        Context previous = THREAD_CURRENT.get();
        THREAD_CURRENT.set(next);
        return previous;
    }

    /** The value of {@code var} in this context, or null when it has none here. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        return (T) values.get(Objects.requireNonNull(var, "var"));
    }

    /** Whether {@code var} has a value in this context. */
    public boolean containsKey(ContextVar<?> var) {
        return values.containsKey(var);
    }

    /** An unmodifiable snapshot of the variables and values of this context. */
    public Map<ContextVar<?>, Object> toMap() {
        return Collections.unmodifiableMap(values);
    }

    void put(ContextVar<?> var, Object value) {
        Map<ContextVar<?>, Object> next = new HashMap<>(values);
        next.put(var, value);
        values = next;
    }

    void remove(ContextVar<?> var) {
        Map<ContextVar<?>, Object> next = new HashMap<>(values);
        next.remove(var);
        values = next;
    }

    @Override
    public String toString() {
        return "Context" + values.keySet();
    }
}
