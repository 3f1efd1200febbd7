package io.jasyncio.internal.coro;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * Coroutines on {@code jdk.internal.vm.Continuation}: a suspend/resume is a stack copy on the
 * loop thread, with no thread hand-off. Loaded only after {@link Backends} has checked that
 * {@code java.base} exports {@code jdk.internal.vm} to this module.
 */
final class ContinuationBackend implements CoroutineBackend {
    static final ContinuationScope SCOPE = new ContinuationScope("jasyncio");

    @Override
    public Coroutine create(Runnable body) {
        return new ContinuationCoroutine(body);
    }

    @Override
    public String name() {
        return "continuation";
    }

    private static final class ContinuationCoroutine extends Continuation implements Coroutine {
        ContinuationCoroutine(Runnable body) {
            super(SCOPE, body);
        }

        @Override
        public void resume() {
            run();
        }

        @Override
        public void suspend() {
            Continuation.yield(SCOPE);
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
