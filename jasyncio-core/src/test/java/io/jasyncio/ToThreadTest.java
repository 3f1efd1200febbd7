package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ToThreadTest {

    private static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    @Test
    void returnsTheResultOfTheBlockingCallRunOffTheLoopThread() {
        Thread[] threads = new Thread[2];
        int r = runVirtual(() -> {
            threads[0] = Thread.currentThread();
            return Asyncio.toThread(() -> {
                threads[1] = Thread.currentThread();
                return 40 + 2;
            });
        });
        assertEquals(42, r);
        assertNotSame(threads[0], threads[1]);
        assertTrue(threads[1].getName().startsWith("jasyncio-executor-"), threads[1].getName());
    }

    @Test
    void callsTheFunctionExactlyOnce() {
        AtomicInteger calls = new AtomicInteger();
        runVirtual(() -> Asyncio.toThread(calls::incrementAndGet));
        assertEquals(1, calls.get());
    }

    @Test
    void exceptionFromTheThreadReachesTheTaskUnchanged() {
        IOException thrown = new IOException("disk on fire");
        Exception seen = runVirtual(() -> {
            try {
                Asyncio.toThread(() -> {
                    throw thrown;
                });
                return null;
            } catch (Exception e) {
                // toThread rethrows checked exceptions without declaring them, as await does.
                return e;
            }
        });
        assertSame(thrown, seen);
    }

    @Test
    void runtimeExceptionAndErrorFromTheThreadArePropagatedAsThemselves() {
        IllegalStateException ise = new IllegalStateException("bad");
        StackOverflowError soe = new StackOverflowError("deep");
        runVirtual(() -> {
            assertSame(ise, assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> {
                throw ise;
            })));
            assertSame(soe, assertThrows(StackOverflowError.class, () -> Asyncio.toThread(() -> {
                throw soe;
            })));
            return null;
        });
    }

    @Test
    void carriesContextVariablesIntoTheThreadButNotBack() {
        ContextVar<String> requestId = new ContextVar<>("requestId");
        List<String> seen = runVirtual(() -> {
            requestId.set("parrot");
            String inThread = Asyncio.toThread(() -> {
                String before = requestId.get();
                requestId.set("changed in thread");
                return before;
            });
            return List.of(inThread, requestId.get());
        });
        assertEquals(List.of("parrot", "parrot"), seen);
    }

    @Test
    void loopKeepsRunningOtherTasksWhileTheThreadBlocks() {
        CountDownLatch release = new CountDownLatch(1);
        int ticks = runVirtual(() -> {
            Task<String> blocking = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                release.await();
                return "unblocked";
            }));
            int n = 0;
            while (n < 50) {
                Asyncio.sleep(0);
                n++;
            }
            assertFalse(blocking.done(), "the blocked call cannot have finished before it was released");
            release.countDown();
            assertEquals("unblocked", blocking.await());
            return n;
        });
        assertEquals(50, ticks);
    }

    @Test
    void manyConcurrentCallsAllComplete() {
        int n = 1000;
        long sum = runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int x = i;
                tasks.add(Asyncio.createTask(() -> Asyncio.toThread(() -> x)));
            }
            long s = 0;
            for (Task<Integer> t : tasks) {
                s += t.await();
            }
            return s;
        });
        assertEquals((long) n * (n - 1) / 2, sum);
    }

    @Test
    void cancellingTheTaskDropsTheResultButLetsTheThreadFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch threadDone = new CountDownLatch(1);
        boolean cancelled = runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                finished.set(true);
                threadDone.countDown();
                return "dropped";
            }));
            Asyncio.toThread(() -> {
                started.await();
                return null;
            });
            t.cancel();
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertNotNull(e);
            assertFalse(finished.get(), "the task saw the cancellation before the thread finished");
            release.countDown();
            return t.cancelled();
        });
        threadDone.await();
        assertTrue(cancelled);
        assertTrue(finished.get());
        assertFalse(interrupted.get(), "toThread never interrupts the thread");
    }

    @Test
    void calledOutsideATaskFailsWithoutRunningTheFunction() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (EventLoop loop = EventLoop.newEventLoop(new VirtualClock())) {
            loop.callSoon(() -> {
                try {
                    Asyncio.toThread(() -> ran.getAndSet(true));
                } catch (Throwable e) {
                    error.set(e);
                }
                loop.stop();
            });
            loop.runForever();
        }
        assertInstanceOf(IllegalStateException.class, error.get());
        assertTrue(error.get().getMessage().contains("toThread() called outside a task"), error.get().getMessage());
        assertFalse(ran.get());
    }

    @Test
    void rejectsNullFunction() {
        runVirtual(() -> {
            NullPointerException e = assertThrows(NullPointerException.class, () -> Asyncio.toThread(null));
            assertEquals("fn", e.getMessage());
            return null;
        });
    }

    @Test
    void virtualClockFollowsRealTimeWhileTheThreadWorks() {
        // The clock must not jump over a timer while a thread works for the loop.
        CountDownLatch sleeperWoke = new CountDownLatch(1);
        String first = runVirtual(() -> {
            Task<String> sleeper = Asyncio.createTask(() -> {
                Asyncio.sleep(3600);
                sleeperWoke.countDown();
                return "sleeper";
            });
            String r = Asyncio.toThread(() -> {
                Thread.sleep(20);
                return sleeperWoke.getCount() == 1 ? "thread" : "sleeper";
            });
            sleeper.cancel();
            return r;
        });
        assertEquals("thread", first);
    }
}
