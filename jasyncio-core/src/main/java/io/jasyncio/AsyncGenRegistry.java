package io.jasyncio;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loop's async generator hooks, as asyncio's {@code BaseEventLoop} installs with
 * {@code sys.set_asyncgen_hooks}: the first iteration of a generator registers it with the loop
 * running it ({@code _asyncgen_firstiter_hook}); a registered generator whose handle becomes
 * garbage unfinished is closed by a task on that loop ({@code _asyncgen_finalizer_hook}); and
 * {@link EventLoop#shutdownAsyncgens()} closes those still unfinished. Loop thread only, except
 * the finalizer, which the GC's cleaner thread runs and which only posts to the loop.
 */
final class AsyncGenRegistry {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final Cleaner CLEANER = Cleaner.create(
            Thread.ofPlatform().daemon().name("jasyncio-asyncgen-cleaner").factory());

    private final EventLoop loop;
    /** The registered generators not yet finished; they hold no reference to their handles. */
    private final Set<AsyncGeneratorCore<?>> live = new LinkedHashSet<>();
    private boolean shutdownCalled;

    AsyncGenRegistry(EventLoop loop) {
        this.loop = loop;
    }

    /** asyncio's firstiter hook: track {@code core} until it finishes or its handle is collected. */
    void firstIter(AsyncGenerator<?> handle, AsyncGeneratorCore<?> core) {
        if (shutdownCalled) {
            LOG.log(System.Logger.Level.WARNING,
                    "asynchronous generator {0} was scheduled after loop.shutdownAsyncgens() call", handle);
        }
        Hook hook = new Hook(handle, core, this);
        hook.cleanable = CLEANER.register(handle, hook);
        core.hook = hook;
        live.add(core);
    }

    /** asyncio's finalizer hook, on the loop thread: close a generator dropped unfinished. */
    private void finalizeDropped(AsyncGeneratorCore<?> core) {
        if (!live.remove(core) || loop.isClosed()) {
            return;
        }
        // Eager, so that a close scheduled as the loop winds down still runs the body's finally
        // blocks before the runner cancels the remaining tasks.
        loop.createTask(() -> {
            core.close();
            return null;
        }, new TaskOptions(null, null, true));
    }

    /**
     * Closes every registered generator still unfinished, each in its own task, and waits for
     * them; reports failures to the loop's exception handler. Later first iterations log a warning.
     */
    void shutdown() {
        shutdownCalled = true;
        if (live.isEmpty()) {
            return;
        }
        List<AsyncGeneratorCore<?>> closing = new ArrayList<>(live);
        live.clear();
        List<Task<Void>> closers = new ArrayList<>(closing.size());
        for (AsyncGeneratorCore<?> core : closing) {
            closers.add(loop.createTask(() -> {
                core.close();
                return null;
            }));
        }
        awaitAll(closers);
        for (int i = 0; i < closers.size(); i++) {
            Task<Void> t = closers.get(i);
            if (t.cancelled() || t.exception() == null) {
                continue;
            }
            AsyncGeneratorCore<?> core = closing.get(i);
            Object generator = core.hook != null && core.hook.get() != null ? core.hook.get() : core;
            Map<String, Object> context = new HashMap<>();
            context.put("message", "an error occurred during closing of asynchronous generator " + generator);
            context.put("exception", t.exception());
            context.put("asyncgen", generator);
            loop.callExceptionHandler(context);
        }
    }

    /** Waits for every task; if the waiting task is cancelled, cancels them too, as gather does. */
    private void awaitAll(List<Task<Void>> tasks) {
        for (Task<Void> t : tasks) {
            if (t.done()) {
                continue;
            }
            Future<Void> finished = loop.createFuture();
            t.addDoneCallback(f -> finished.setResult(null));
            try {
                finished.await();
            } catch (CancelledError e) {
                for (Task<Void> other : tasks) {
                    other.cancel();
                }
                throw e;
            }
        }
    }

    /**
     * One registered generator: the cleaner's action for its handle, holding the handle weakly
     * (to name it in reports) and the core strongly (to close it).
     */
    static final class Hook extends WeakReference<AsyncGenerator<?>> implements Runnable {
        private final AsyncGeneratorCore<?> core;
        private final AsyncGenRegistry registry;
        private Cleaner.Cleanable cleanable;
        /** Set when the generator finished: the cleaner then has nothing to do. */
        private volatile boolean disarmed;

        Hook(AsyncGenerator<?> handle, AsyncGeneratorCore<?> core, AsyncGenRegistry registry) {
            super(handle);
            this.core = core;
            this.registry = registry;
        }

        /** The generator finished: forget it, and release the cleaner's registration. */
        void finished() {
            registry.live.remove(core);
            disarmed = true;
            cleanable.clean();
        }

        @Override
        public void run() {
            if (disarmed) {
                return;
            }
            try {
                registry.loop.callSoonThreadsafe(() -> registry.finalizeDropped(core));
            } catch (IllegalStateException loopClosed) {
                // Nothing can run the generator's finally blocks any more, as in asyncio.
            }
        }
    }
}
