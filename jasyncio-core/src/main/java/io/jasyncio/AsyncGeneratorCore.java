package io.jasyncio;

import io.jasyncio.internal.coro.Backends;
import io.jasyncio.internal.coro.CoroutineBackend;
import io.jasyncio.internal.coro.NestedCoroutine;

/**
 * The state of one async generator, apart from its public {@link AsyncGenerator} handle so that
 * the loop can close a generator whose handle became garbage: nothing here refers to the handle.
 * Implements the protocol of CPython's async generator objects (genobject.c): the running flag,
 * the closed flag, and what anext/asend/athrow/aclose do in each state.
 */
final class AsyncGeneratorCore<T> implements Yielder<T> {
    private static final CoroutineBackend BACKEND = Backends.selected();

    /** Not started: the body has not run. */
    private static final byte CREATED = 0;
    /** Suspended at a yield, waiting for the consumer. */
    private static final byte SUSPENDED = 1;
    /** The body runs, or its task is suspended inside it (an await in the body). */
    private static final byte RUNNING = 2;
    /** The body returned or threw; or it was closed or thrown into before it started. */
    private static final byte FINISHED = 3;

    private final AsyncGenerator.Body<T> body;
    private final String name;
    private NestedCoroutine coroutine;
    private byte state = CREATED;
    /** CPython's ag_closed: aclose() began; a generator that ignored it refuses aclose/athrow. */
    private boolean closed;
    /** The loop whose tasks iterate the body: the body's thread joins it on the virtual-thread backend. */
    private EventLoop loop;
    /**
     * The context a {@link Context#run} inside the body had entered when the body last yielded,
     * entered again when it resumes; null when the body runs in its consumer's context.
     */
    private Context bodyContext;
    /** The loop's record of this generator (firstiter hook), or null while not registered. */
    AsyncGenRegistry.Hook hook;

    // The hand-off between the consumer and the body, one direction at a time.
    private Object sent;
    private Throwable thrownIn;
    private T yielded;
    private Throwable failure;

    AsyncGeneratorCore(AsyncGenerator.Body<T> body, String name) {
        this.body = body;
        this.name = name;
    }

    boolean isRunning() {
        return state == RUNNING;
    }

    boolean isFinished() {
        return state == FINISHED;
    }

    /**
     * Resumes the body with {@code send} as the result of its pending yield, or with
     * {@code throwIn} raised there, and runs it to its next yield or its end.
     *
     * @return true if it yielded (take the value with {@link #takeYielded()}), false if it
     *     finished (take its exception, if any, with {@link #takeFailure()})
     */
    boolean advance(String method, Object send, Throwable throwIn) {
        checkNotRunning(method);
        if (state == FINISHED) {
            return false;
        }
        EventLoop running = EventLoop.running();
        loop = running;
        if (state == CREATED) {
            if (send != null) {
                throw new IllegalArgumentException("can't send non-null value to a just-started async generator: " + send);
            }
            if (throwIn != null) {
                // Python raises the exception at the body's first line: it never runs.
                finish(throwIn);
                return false;
            }
            coroutine = BACKEND.createNested(this::runBody);
        }
        sent = send;
        thrownIn = throwIn;
        state = RUNNING;
        // The body runs in its consumer's context (as in Python), or in one it entered itself.
        Context consumerContext = running.swapContext(bodyContext);
        try {
            coroutine.resume();
        } finally {
            Context atYield = running.swapContext(consumerContext);
            if (coroutine.isDone()) {
                bodyContext = null;
                finish(failure);
            } else {
                bodyContext = atYield != consumerContext ? atYield : null;
                state = SUSPENDED;
            }
        }
        return state == SUSPENDED;
    }

    private void runBody() {
        loop.adoptCurrentThread();
        try {
            body.generate(this);
        } catch (Throwable e) {
            failure = e;
        }
    }

    @Override
    public Object yield(T value) {
        NestedCoroutine co = coroutine;
        if (state != RUNNING || co == null || !co.isCurrent()) {
            throw new IllegalStateException("yield() called outside the body of " + this);
        }
        yielded = value;
        co.suspend();
        loop.adoptCurrentThread();
        Throwable t = thrownIn;
        if (t != null) {
            thrownIn = null;
            throw Throwables.rethrow(t);
        }
        Object s = sent;
        sent = null;
        return s;
    }

    T takeYielded() {
        T value = yielded;
        yielded = null;
        return value;
    }

    /** The exception the body finished with, or null; forgets it so that it is reported once. */
    Throwable takeFailure() {
        Throwable f = failure;
        failure = null;
        return f;
    }

    /**
     * Throws the exception the body finished with, if any, once: unchanged, except that a
     * {@link StopAsyncIteration} escaping the body becomes an {@link IllegalStateException}, as
     * Python's RuntimeError, so that it cannot pass for the end of this generator.
     */
    void rethrowFailure() {
        Throwable f = failure;
        if (f == null) {
            return;
        }
        failure = null;
        if (f instanceof StopAsyncIteration) {
            throw new IllegalStateException("async generator raised StopAsyncIteration", f);
        }
        throw Throwables.rethrow(f);
    }

    /** Python's {@code athrow()}; see {@link AsyncGenerator#athrow}. */
    boolean throwIn(Throwable exception) {
        if (state == FINISHED) {
            return false;
        }
        checkNotRunning("athrow()");
        if (closed) {
            throw new StopAsyncIteration();
        }
        return advance("athrow()", null, exception);
    }

    /** Python's {@code aclose()}; see {@link AsyncGenerator#aclose()}. */
    void close() {
        if (state == FINISHED) {
            return;
        }
        checkNotRunning("aclose()");
        if (closed) {
            throw new StopAsyncIteration();
        }
        closed = true;
        if (state == CREATED) {
            finish(null);
            return;
        }
        if (advance("aclose()", null, new GeneratorExit())) {
            yielded = null;
            throw new IllegalStateException("async generator ignored GeneratorExit: " + this);
        }
        Throwable f = takeFailure();
        if (f != null && !(f instanceof GeneratorExit) && !(f instanceof StopAsyncIteration)) {
            throw Throwables.rethrow(f);
        }
    }

    private void checkNotRunning(String method) {
        if (state == RUNNING) {
            throw new IllegalStateException(method + ": asynchronous generator is already running: " + this);
        }
    }

    private void finish(Throwable outcome) {
        state = FINISHED;
        failure = outcome;
        coroutine = null;
        if (hook != null) {
            hook.finished();
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case CREATED -> "created";
            case SUSPENDED -> "suspended";
            case RUNNING -> "running";
            default -> "finished";
        };
        return "AsyncGenerator[" + name + ", " + s + "]";
    }
}
