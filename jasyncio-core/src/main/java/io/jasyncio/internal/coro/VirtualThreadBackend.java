package io.jasyncio.internal.coro;

import java.util.concurrent.locks.LockSupport;

/**
 * Coroutines on virtual threads, with public API only: each coroutine owns a virtual thread, and
 * control is handed back and forth with park/unpark so that only one side runs at a time. Slower
 * than continuations (a switch costs a thread hand-off) but needs no JVM flag.
 */
final class VirtualThreadBackend implements CoroutineBackend {
    private static final Thread.Builder BUILDER = Thread.ofVirtual().name("jasyncio-task");

    @Override
    public Coroutine create(Runnable body) {
        return new VirtualThreadCoroutine(body);
    }

    @Override
    public String name() {
        return "virtual";
    }

    private static final class VirtualThreadCoroutine implements Coroutine {
        private final Runnable body;
        /** Volatile so that a watchdog on another thread can sample the body's stack. */
        private volatile Thread thread;
        /** The thread that called resume() and waits for the body to suspend or finish. */
        private volatile Thread resumer;
        /** True while the body has control; the hand-off flag both sides spin-park on. */
        private volatile boolean bodyRunning;
        private volatile boolean done;

        VirtualThreadCoroutine(Runnable body) {
            this.body = body;
        }

        @Override
        public void resume() {
            if (done) {
                throw new IllegalStateException("coroutine already finished");
            }
            resumer = Thread.currentThread();
            bodyRunning = true;
            if (thread == null) {
                thread = BUILDER.unstarted(this::runBody);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            while (bodyRunning) {
                LockSupport.park(this);
            }
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
            handBack();
            while (!bodyRunning) {
                LockSupport.park(this);
            }
        }

        private void handBack() {
            Thread waiting = resumer;
            bodyRunning = false;
            LockSupport.unpark(waiting);
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Thread bodyThread() {
            return thread;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            Thread t = thread;
            return t == null || done ? new StackTraceElement[0] : t.getStackTrace();
        }
    }
}
