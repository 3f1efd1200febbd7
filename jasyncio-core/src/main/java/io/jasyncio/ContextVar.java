package io.jasyncio;

import java.util.Objects;

/**
 * A variable whose value depends on the running task: Python's {@code contextvars.ContextVar}.
 * Use it for request ids, tracing spans, deadlines: anything a thread-local holds in blocking code.
 * Values live in the {@link Context#current() current context}.
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    private final String name;
    private final Object defaultValue;

    /** A variable with no default: {@link #get()} throws while it is unset. */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = NO_DEFAULT;
    }

    /** A variable whose {@link #get()} returns {@code defaultValue} while it is unset. */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the default.
     *
     * @throws java.util.NoSuchElementException if unset and there is no default (Python's LookupError)
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context ctx = Context.current();
        if (ctx.containsKey(this)) {
            return ctx.get(this);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new java.util.NoSuchElementException("ContextVar '" + name + "' has no value and no default");
        }
        return (T) defaultValue;
    }

    /** The value in the current context, else {@code fallback}. */
    public T get(T fallback) {
        Context ctx = Context.current();
        return ctx.containsKey(this) ? ctx.get(this) : fallback;
    }

    /**
     * Sets the value in the current context.
     *
     * @return a token that {@link #reset} uses to restore the previous value
     */
    public Token<T> set(T value) {
        Context ctx = Context.current();
        boolean had = ctx.containsKey(this);
        Token<T> token = new Token<>(this, ctx, had, had ? ctx.get(this) : null);
        ctx.put(this, value);
        return token;
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @throws IllegalStateException if the token was already used
     * @throws IllegalArgumentException if the token belongs to another variable or context
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException("token " + token + " was created by a different ContextVar");
        }
        Context ctx = Context.current();
        if (token.context != ctx) {
            throw new IllegalArgumentException("token " + token + " was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException("token " + token + " has already been used once");
        }
        token.used = true;
        if (token.hadValue) {
            ctx.put(this, token.oldValue);
        } else {
            ctx.remove(this);
        }
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    /** The receipt of one {@link ContextVar#set}, for {@link ContextVar#reset}. */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final boolean hadValue;
        private final T oldValue;
        private boolean used;

        private Token(ContextVar<T> var, Context context, boolean hadValue, T oldValue) {
            this.var = var;
            this.context = context;
            this.hadValue = hadValue;
            this.oldValue = oldValue;
        }

        /** The variable this token belongs to. */
        public ContextVar<T> var() {
            return var;
        }

        @Override
        public String toString() {
            return "Token[" + var.name() + (used ? ", used]" : "]");
        }
    }
}
