package io.jasyncio.internal.coro;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * Coroutines on {@code jdk.internal.vm.Continuation}: a suspend/resume is a stack copy on the
 * loop thread, with no thread hand-off. Loaded only after {@link Backends} has checked that
 * {@code java.base} exports {@code jdk.internal.vm} to this module.
 *
 * <p>Tasks and nested coroutines (async generator bodies) use two scopes. A generator's yield
 * suspends up to the innermost generator scope only; a task's await from inside a generator body
 * yields the task scope, which the JDK propagates through the enclosing continuations, so the
 * whole task, generator frames included, is unmounted and later remounted as one stack.
 */
final class ContinuationBackend implements CoroutineBackend {
    static final ContinuationScope SCOPE = new ContinuationScope("jasyncio");
    static final ContinuationScope NESTED_SCOPE = new ContinuationScope("jasyncio-nested");

    @Override
    public Coroutine create(Runnable body) {
        return new ScopedCoroutine(SCOPE, body);
    }

    @Override
    public NestedCoroutine createNested(Runnable body) {
        return new ScopedCoroutine(NESTED_SCOPE, body);
    }

    @Override
    public String name() {
        return "continuation";
    }

    private static final class ScopedCoroutine extends Continuation implements NestedCoroutine {
        private final ContinuationScope scope;

        ScopedCoroutine(ContinuationScope scope, Runnable body) {
            super(scope, body);
            this.scope = scope;
        }

        @Override
        public void resume() {
            run();
        }

        @Override
        public void suspend() {
            Continuation.yield(scope);
        }

        @Override
        public boolean isCurrent() {
            return Continuation.getCurrentContinuation(scope) == this;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return isDone() ? new StackTraceElement[0] : getStackTrace();
        }

        @Override
        public Thread bodyThread() {
            return null;
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            throw new PinnedSuspensionError(reason.name());
        }
    }
}
