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
 * Callbacks run in the context they were scheduled from ({@link EventLoop#callSoon} and the other
 * scheduling methods copy the current context unless given one). {@link Asyncio#toThread} runs its
 * function in a copy of the caller's context; {@link EventLoop#runInExecutor}, as in asyncio, does
 * not (the function sees the worker thread's own context). An async generator's body runs in the
 * context of the task iterating it.
 *
 * <p>A context is entered with {@link #run}; inside, {@link ContextVar#set} changes this context.
 * Copies are cheap: the values are an immutable map shared until one side sets a variable.
 * Outside any loop, each thread has its own current context.
 *
 * <p>As a read-only mapping from variables to values (Python's {@code Context} is a
 * {@code Mapping}): {@link #get(ContextVar)}, {@link #get(ContextVar, Object)},
 * {@link #containsKey}, {@link #size()}, {@link #toMap()}.
 *
 * <p>A context is confined to the thread (or loop) running it.
 */
public final class Context {
    private static final ThreadLocal<Context> THREAD_CURRENT = ThreadLocal.withInitial(Context::new);

    Map<ContextVar<?>, Object> values;
    private boolean entered;

    /** Creates an empty context: Python's {@code contextvars.Context()}. */
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
     * context. This is the entered context itself, not a copy (Python has no such call; use
     * {@link #copyCurrent()} to keep a snapshot).
     */
    public static Context current() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            return loop.currentContext();
        }
        return THREAD_CURRENT.get();
    }

    /**
     * Runs {@code body} with this context entered, then restores the previous one: Python's
     * {@code Context.run}. Variables set by {@code body} stay set in this context afterwards.
     * Suspends the task only if {@code body} does; a task that suspends inside keeps this context
     * entered until {@code body} returns.
     *
     * <p>Whatever {@code body} throws comes out unchanged (checked exceptions included, although
     * none is declared).
     *
     * @return what {@code body} returns
     * @throws IllegalStateException if this context is already entered (it is the current one, or
     *     a {@code run} of it is in progress): Python's RuntimeError "cannot enter context: ... is
     *     already entered"
     */
    public <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.runningOrNull();
        Context previous = enter(loop);
        try {
            return body.call();
        } catch (Exception e) {
            throw Throwables.rethrow(e);
        } finally {
            exit(loop, previous);
        }
    }

    /** As {@link #run(Callable)} for a body without a result. */
    public void run(Runnable body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.runningOrNull();
        Context previous = enter(loop);
        try {
            body.run();
        } finally {
            exit(loop, previous);
        }
    }

    private Context enter(EventLoop loop) {
        Context current = loop != null ? loop.currentContext() : THREAD_CURRENT.get();
        if (entered || current == this) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        entered = true;
        return loop != null ? loop.swapContext(this) : swapThreadContext(this);
    }

    private void exit(EventLoop loop, Context previous) {
        entered = false;
        if (loop != null) {
            loop.swapContext(previous);
        } else {
            swapThreadContext(previous);
        }
    }

    private static Context swapThreadContext(Context next) {
        Context previous = THREAD_CURRENT.get();
        THREAD_CURRENT.set(next);
        return previous;
    }

    /** The value of {@code var} in this context, or null when it has none here: Python's {@code ctx.get(var)}. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        return (T) values.get(Objects.requireNonNull(var, "var"));
    }

    /** The value of {@code var} in this context, or {@code defaultValue}: Python's {@code ctx.get(var, default)}. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var, T defaultValue) {
        Objects.requireNonNull(var, "var");
        Map<ContextVar<?>, Object> v = values;
        return v.containsKey(var) ? (T) v.get(var) : defaultValue;
    }

    /** Whether {@code var} has a value in this context: Python's {@code var in ctx}. */
    public boolean containsKey(ContextVar<?> var) {
        return values.containsKey(var);
    }

    /** How many variables have a value in this context: Python's {@code len(ctx)}. */
    public int size() {
        return values.size();
    }

    /** An unmodifiable snapshot of the variables and values of this context: Python's {@code ctx.items()}. */
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
