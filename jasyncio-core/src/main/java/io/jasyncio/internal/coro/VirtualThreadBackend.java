package io.jasyncio.internal.coro;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.locks.LockSupport;

/**
 * Coroutines on virtual threads, with public API only: each coroutine owns a virtual thread, and
 * control is handed back and forth with park/unpark so that only one side runs at a time. Slower
 * than continuations (a switch costs a thread hand-off) but needs no JVM flag.
 *
 * <p>The event loop runs on a virtual thread too ({@link #runLoop}): a hand-off between two
 * virtual threads is a continuation switch on a carrier thread that is already running, while one
 * between a platform thread and a virtual thread wakes a parked thread on each side, which costs
 * ten times more or worse (docs/PERFORMANCE.md, "The virtual-thread backend: the loop on a
 * virtual thread"). The price is the wake-up of an idle loop, which waits for I/O through the
 * JDK's poller thread instead of in {@code epoll_wait} itself; {@code -Djasyncio.loopThread=caller}
 * keeps the loop on the calling thread for that.
 *
 * <p>A nested coroutine (an async generator's body) is a second hand-off of the same kind: the
 * consumer's thread resumes the body's thread and parks until the body yields. When the body
 * suspends its enclosing task, that suspension is requested from the body's thread, so a
 * coroutine parks whichever thread asks it to suspend and its next resume wakes that thread.
 */
final class VirtualThreadBackend implements CoroutineBackend {
    private static final Thread.Builder TASK_THREADS = Thread.ofVirtual().name("jasyncio-task");
    private static final Thread.Builder NESTED_THREADS = Thread.ofVirtual().name("jasyncio-nested");

    /** Whether a loop started from a platform thread runs on a virtual thread of its own. */
    private final boolean loopOnVirtualThread;

    VirtualThreadBackend(boolean loopOnVirtualThread) {
        this.loopOnVirtualThread = loopOnVirtualThread;
    }

    @Override
    public Coroutine create(Runnable body) {
        return new VirtualThreadCoroutine(body, TASK_THREADS);
    }

    @Override
    public NestedCoroutine createNested(Runnable body) {
        return new VirtualThreadCoroutine(body, NESTED_THREADS);
    }

    /**
     * Runs {@code loop} on a virtual thread named after the calling thread, unless the caller is
     * a virtual thread already or this backend keeps loops on their callers, and waits for it. An interrupt of the waiting caller is passed on
     * to the loop's thread, and the caller returns with its interrupt flag set if either thread
     * was interrupted; whatever the loop throws is rethrown to the caller.
     */
    @Override
    public void runLoop(Runnable loop) {
        if (!loopOnVirtualThread || Thread.currentThread().isVirtual()) {
            loop.run();
            return;
        }
        LoopRun run = new LoopRun(loop);
        Thread thread = Thread.ofVirtual().name(Thread.currentThread().getName()).start(run);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                thread.interrupt();
            }
        }
        if (interrupted || run.endedInterrupted) {
            Thread.currentThread().interrupt();
        }
        run.rethrowFailure();
    }

    /** The loop's run on its virtual thread; its fields are read after the join. */
    private static final class LoopRun implements Runnable {
        private final Runnable loop;
        private Throwable failure;
        private boolean endedInterrupted;

        LoopRun(Runnable loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            try {
                loop.run();
            } catch (Throwable e) {
                failure = e;
            } finally {
                endedInterrupted = Thread.currentThread().isInterrupted();
            }
        }

        void rethrowFailure() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new UndeclaredThrowableException(failure);
            }
        }
    }

    @Override
    public String name() {
        return "virtual";
    }

    private static final class VirtualThreadCoroutine implements NestedCoroutine {
        private final Runnable body;
        private final Thread.Builder builder;
        /** The body's own thread, started on the first resume. */
        private Thread ownThread;
        /**
         * The thread parked in {@link #suspend()}, which the next resume wakes: the body's own
         * thread, or the thread of a nested coroutine running inside this one. Written before the
         * volatile {@code bodyRunning} hand-off, read after it.
         */
        private Thread suspended;
        /** The thread the last resume woke; volatile so that a watchdog can sample its stack. */
        private volatile Thread running;
        /** The thread that called resume() and waits for the body to suspend or finish. */
        private volatile Thread resumer;
        /** True while the body has control; the hand-off flag both sides spin-park on. */
        private volatile boolean bodyRunning;
        private volatile boolean done;

        VirtualThreadCoroutine(Runnable body, Thread.Builder builder) {
            this.body = body;
            this.builder = builder;
        }

        @Override
        public void resume() {
            if (done) {
                throw new IllegalStateException("coroutine already finished");
            }
            resumer = Thread.currentThread();
            bodyRunning = true;
            if (ownThread == null) {
                ownThread = builder.unstarted(this::runBody);
                running = ownThread;
                ownThread.start();
            } else {
                running = suspended;
                LockSupport.unpark(suspended);
            }
            awaitBodyRunning(false);
        }

        private void runBody() {
            try {
                body.run();
            } finally {
                done = true;
                handBack();
            }
        }

        @Override
        public void suspend() {
            suspended = Thread.currentThread();
            handBack();
            awaitBodyRunning(true);
        }

        /**
         * Parks until the hand-off flag reads {@code expected}. An interrupt does not end the wait:
         * park returns at once while the flag is set, so the flag is cleared for the wait and
         * restored after it, rather than spinning on a carrier thread the other side may need.
         */
        private void awaitBodyRunning(boolean expected) {
            boolean interrupted = false;
            while (bodyRunning != expected) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void handBack() {
            Thread waiting = resumer;
            bodyRunning = false;
            LockSupport.unpark(waiting);
        }

        @Override
        public boolean isCurrent() {
            return Thread.currentThread() == ownThread && bodyRunning;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        /**
         * The thread the body was last resumed on: its own, or (for a task suspended from inside
         * one of its generators) the generator's. While the body runs a nested coroutine, that
         * thread is parked in the hand-off.
         */
        @Override
        public Thread bodyThread() {
            return running;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            Thread t = suspended;
            return t == null || done ? new StackTraceElement[0] : t.getStackTrace();
        }
    }
}
