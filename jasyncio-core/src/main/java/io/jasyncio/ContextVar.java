package io.jasyncio;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value depends on the running task: Python's {@code contextvars.ContextVar}.
 * Use it for request ids, tracing spans, deadlines: anything a thread-local holds in blocking code.
 * Values live in the {@link Context#current() current context}; see {@link Context} for how
 * contexts follow tasks, callbacks and threads.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");
 * try (var token = REQUEST_ID.set(id)) {    // Python 3.14: with REQUEST_ID.set(id):
 *     handle(request);                       // code and tasks started here see id
 * }                                          // reset to the previous value
 * }</pre>
 *
 * <p>Variables compare by identity; create each once (typically a static field).
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

    /** The variable's name: Python's {@code ContextVar.name}. */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the variable's default: Python's {@code var.get()}.
     *
     * @throws NoSuchElementException if unset and there is no default (Python's LookupError)
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context ctx = Context.current();
        if (ctx.containsKey(this)) {
            return ctx.get(this);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new NoSuchElementException("ContextVar '" + name + "' has no value and no default");
        }
        return (T) defaultValue;
    }

    /**
     * The value in the current context, else {@code fallback} (which takes precedence over the
     * variable's default): Python's {@code var.get(default)}.
     */
    public T get(T fallback) {
        return Context.current().get(this, fallback);
    }

    /**
     * Sets the value in the current context: Python's {@code var.set(value)}.
     *
     * @return a token that {@link #reset} (or the token's {@code close()}) uses to restore the
     *     previous value
     */
    public Token<T> set(T value) {
        Context ctx = Context.current();
        Object old = ctx.containsKey(this) ? ctx.get(this) : Token.MISSING;
        Token<T> token = new Token<>(this, ctx, old);
        ctx.put(this, value);
        return token;
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}
     * (unsets it if it had none): Python's {@code var.reset(token)}.
     *
     * @throws IllegalStateException if the token was already used (Python's RuntimeError)
     * @throws IllegalArgumentException if the token belongs to another variable or was created in
     *     another context (Python's ValueError)
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException("token " + token + " was created by a different ContextVar: " + token.var);
        }
        Context ctx = Context.current();
        if (token.context != ctx) {
            throw new IllegalArgumentException("token " + token + " was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException("token " + token + " has already been used once");
        }
        token.used = true;
        if (token.oldValue == Token.MISSING) {
            ctx.remove(this);
        } else {
            ctx.put(this, token.oldValue);
        }
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (defaultValue == NO_DEFAULT ? "]" : ", default=" + defaultValue + "]");
    }

    /**
     * The receipt of one {@link ContextVar#set}: Python's {@code contextvars.Token}. Closing it
     * resets the variable (Python 3.14's {@code with var.set(value):}), so try-with-resources
     * scopes a value to a block.
     *
     * @param <T> the variable's value type
     */
    public static final class Token<T> implements AutoCloseable {
        /**
         * What {@link #oldValue()} returns when the variable had no value before the
         * {@code set}: Python's {@code Token.MISSING}.
         */
        public static final Object MISSING = new Object() {
            @Override
            public String toString() {
                return "<Token.MISSING>";
            }
        };

        private final ContextVar<T> var;
        private final Context context;
        private final Object oldValue;
        private boolean used;

        private Token(ContextVar<T> var, Context context, Object oldValue) {
            this.var = var;
            this.context = context;
            this.oldValue = oldValue;
        }

        /** The variable this token belongs to: Python's {@code Token.var}. */
        public ContextVar<T> var() {
            return var;
        }

        /**
         * The variable's value before the {@code set} that created this token, or {@link #MISSING}
         * if it had none: Python's {@code Token.old_value}. Typed {@code Object} because of
         * {@code MISSING}.
         */
        public Object oldValue() {
            return oldValue;
        }

        /**
         * Resets the variable with this token: {@code var().reset(this)}.
         *
         * @throws IllegalStateException if the token was already used
         * @throws IllegalArgumentException if the current context is not the one the token was
         *     created in
         */
        @Override
        public void close() {
            var.reset(this);
        }

        @Override
        public String toString() {
            return "Token[" + var.name() + (used ? ", used]" : "]");
        }
    }
}
