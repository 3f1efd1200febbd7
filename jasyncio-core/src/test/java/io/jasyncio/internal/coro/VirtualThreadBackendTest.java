package io.jasyncio.internal.coro;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtual-thread backend's own rules, whichever backend the JVM selected: where it runs an
 * event loop, and how its hand-offs treat interrupts.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadBackendTest {
    private final CoroutineBackend backend = new VirtualThreadBackend(true);

    @Test
    void runLoopFromAPlatformThreadRunsTheLoopOnAVirtualThreadNamedAfterTheCaller() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("the-caller").start(
                () -> backend.runLoop(() -> ranOn.set(Thread.currentThread())));
        caller.join();
        assertTrue(ranOn.get().isVirtual(), String.valueOf(ranOn.get()));
        assertEquals("the-caller", ranOn.get().getName());
    }

    @Test
    void withLoopThreadCallerRunLoopRunsTheLoopOnTheCallingPlatformThread() throws Exception {
        CoroutineBackend onCaller = new VirtualThreadBackend(Backends.loopOnVirtualThread("caller"));
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> onCaller.runLoop(() -> ranOn.set(Thread.currentThread())));
        caller.join();
        assertSame(caller, ranOn.get());
    }

    @Test
    void loopThreadPropertyAcceptsVirtualOrCallerAndNamesABadValue() {
        assertTrue(Backends.loopOnVirtualThread("virtual"));
        assertTrue(Backends.loopOnVirtualThread(""));
        assertFalse(Backends.loopOnVirtualThread("caller"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.loopOnVirtualThread("platform"));
        assertEquals("jasyncio.loopThread must be virtual or caller, not 'platform'", e.getMessage());
    }

    @Test
    void runLoopFromAVirtualThreadRunsTheLoopInPlace() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> backend.runLoop(() -> ranOn.set(Thread.currentThread())));
        caller.join();
        assertSame(caller, ranOn.get());
    }

    @Test
    void runLoopRethrowsWhatTheLoopThrowsUnchanged() {
        IllegalStateException failure = new IllegalStateException("select failed");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> backend.runLoop(() -> {
            throw failure;
        })));
        StackOverflowError error = new StackOverflowError();
        assertSame(error, assertThrows(StackOverflowError.class, () -> backend.runLoop(() -> {
            throw error;
        })));
    }

    @Test
    void runLoopWrapsACheckedExceptionTheLoopThrowsAsUndeclared() {
        IOException checked = new IOException("sneaked out");
        UndeclaredThrowableException e = assertThrows(UndeclaredThrowableException.class,
                () -> backend.runLoop(() -> sneakyThrow(checked)));
        assertSame(checked, e.getCause());
    }

    @Test
    void interruptingTheCallerInterruptsTheLoopAndTheCallerKeepsTheFlag() throws Exception {
        CountDownLatch loopStarted = new CountDownLatch(1);
        AtomicBoolean loopSawInterrupt = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        Thread interrupter = Thread.ofPlatform().start(() -> {
            try {
                loopStarted.await();
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        backend.runLoop(() -> {
            loopStarted.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.park();
            }
            loopSawInterrupt.set(true);
        });
        assertTrue(Thread.interrupted(), "the caller's interrupt flag must be set again");
        assertTrue(loopSawInterrupt.get());
        interrupter.join();
    }

    @Test
    void anInterruptLeftOnTheLoopsThreadIsHandedBackToTheCaller() {
        backend.runLoop(() -> Thread.currentThread().interrupt());
        assertTrue(Thread.interrupted());
    }

    @Test
    void anInterruptedResumerWaitsParkedAndKeepsItsInterrupt() throws Exception {
        AtomicReference<Thread> resumer = new AtomicReference<>();
        Coroutine coroutine = backend.create(() -> {
            // With its interrupt flag set, park returns at once: a resumer that merely looped on it
            // would stay runnable (spinning on its carrier) and this wait would never end.
            Thread waiting = resumer.get();
            while (waiting.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        });
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread loop = Thread.ofVirtual().start(() -> {
            resumer.set(Thread.currentThread());
            Thread.currentThread().interrupt();
            coroutine.resume();
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        loop.join();
        assertTrue(coroutine.isDone());
        assertTrue(interruptKept.get());
    }

    @Test
    void anInterruptedBodyWaitsParkedWhileSuspendedAndKeepsItsInterrupt() {
        AtomicBoolean interruptKept = new AtomicBoolean();
        Coroutine[] self = new Coroutine[1];
        self[0] = backend.create(() -> {
            Thread.currentThread().interrupt();
            self[0].suspend();
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        self[0].resume();
        Thread body = self[0].bodyThread();
        while (body.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        self[0].resume();
        assertTrue(self[0].isDone());
        assertTrue(interruptKept.get());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }
}
