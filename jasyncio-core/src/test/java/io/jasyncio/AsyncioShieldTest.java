package io.jasyncio;

import static io.jasyncio.TestLoops.now;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncioShieldTest {

    @Test
    void shieldPassesOnTheResult() {
        TestLoops.runVirtual(() -> {
            Future<Integer> inner = Asyncio.getRunningLoop().createFuture();
            Future<Integer> outer = Asyncio.shield(inner);
            inner.setResult(42);
            assertEquals(42, outer.await());
        });
    }

    @Test
    void shieldPassesOnTheExceptionUnchanged() {
        TestLoops.runVirtual(() -> {
            Future<Integer> inner = Asyncio.getRunningLoop().createFuture();
            Future<Integer> outer = Asyncio.shield(inner);
            Asyncio.sleep(0);
            IllegalStateException exc = new IllegalStateException("expected");
            inner.setException(exc);
            Asyncio.sleep(0);
            assertSame(exc, outer.exception());
        });
    }

    @Test
    void cancellingTheInnerFutureCancelsTheShield() {
        TestLoops.runVirtual(() -> {
            Future<Integer> inner = Asyncio.getRunningLoop().createFuture();
            Future<Integer> outer = Asyncio.shield(inner);
            Asyncio.sleep(0);
            inner.cancel();
            Asyncio.sleep(0);
            assertTrue(outer.cancelled());
        });
    }

    @Test
    void cancellingTheShieldLeavesTheInnerFutureAlone() {
        TestLoops.runVirtual(() -> {
            Future<Integer> inner = Asyncio.getRunningLoop().createFuture();
            Future<Integer> outer = Asyncio.shield(inner);
            Asyncio.sleep(0);
            assertTrue(outer.cancel());
            Asyncio.sleep(0);
            assertTrue(outer.cancelled());
            assertFalse(inner.done());
            inner.setResult(1);
            Asyncio.sleep(0);
            assertEquals(1, inner.result());
            assertTrue(outer.cancelled());
        });
    }

    @Test
    void shieldOfADoneFutureIsThatFuture() {
        TestLoops.runVirtual(() -> {
            Future<Integer> fut = Asyncio.getRunningLoop().createFuture();
            fut.setResult(42);
            assertSame(fut, Asyncio.shield(fut));
        });
    }

    @Test
    void cancellingTheAwaitingTaskDoesNotCancelTheShieldedCoroutine() {
        TestLoops.runVirtual(() -> {
            Future<Void> waiter = Asyncio.getRunningLoop().createFuture();
            int[] proof = {0};
            Task<Void> outer = Asyncio.createTask(() -> {
                Asyncio.shield(() -> {
                    waiter.await();
                    proof[0]++;
                    return null;
                }).await();
                proof[0] += 100;
            });
            Asyncio.sleep(0);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            waiter.setResult(null);
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(1, proof[0]);
        });
    }

    @Test
    void shieldThenAwaitTheTaskAgainGetsItsResult() {
        TestLoops.runVirtual(() -> {
            Task<String> important = Asyncio.createTask(() -> Asyncio.sleep(2, "saved"));
            Task<String> caller = Asyncio.createTask(() -> {
                String result;
                try {
                    result = Asyncio.shield(important).await();
                } catch (CancelledError e) {
                    // The wait was cancelled, but the task goes on.
                    result = important.await();
                }
                return result;
            });
            Asyncio.sleep(1);
            caller.cancel();
            assertEquals("saved", caller.await());
            assertFalse(important.cancelled());
            assertEquals(2.0, now());
        });
    }

    @Test
    void cancellingAShieldedGatherLeavesTheGatherRunning() {
        TestLoops.runVirtual(() -> {
            Future<Integer> child1 = Asyncio.getRunningLoop().createFuture();
            Future<Integer> child2 = Asyncio.getRunningLoop().createFuture();
            Future<List<Integer>> parent = Asyncio.gather(child1, child2);
            Future<List<Integer>> outer = Asyncio.shield(parent);
            Asyncio.sleep(0);
            outer.cancel();
            Asyncio.sleep(0);
            assertTrue(outer.cancelled());
            child1.setResult(1);
            child2.setResult(2);
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), parent.result());
        });
    }

    @Test
    void cancellingAGatherOfShieldsCancelsOnlyTheShields() {
        TestLoops.runVirtual(() -> {
            Future<Integer> child1 = Asyncio.getRunningLoop().createFuture();
            Future<Integer> child2 = Asyncio.getRunningLoop().createFuture();
            Future<Integer> inner1 = Asyncio.shield(child1);
            Future<Integer> inner2 = Asyncio.shield(child2);
            Future<List<Integer>> parent = Asyncio.gather(inner1, inner2);
            Asyncio.sleep(0);
            parent.cancel();
            Asyncio.sleep(0);
            assertInstanceOf(CancelledError.class, parent.exception());
            assertTrue(inner1.cancelled());
            assertTrue(inner2.cancelled());
            assertFalse(child1.done());
            assertFalse(child2.done());
        });
    }

    @Test
    void shieldedGatherFailingWithACancelledChildPassesTheCancelledErrorOn() {
        TestLoops.runVirtual(() -> {
            Future<Integer> child = Asyncio.getRunningLoop().createFuture();
            Future<List<Integer>> outer = Asyncio.shield(Asyncio.gather(child));
            child.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertFalse(outer.cancelled());
        });
    }

    @Test
    void shieldedCoroutineRunsOnTheCurrentLoop() {
        TestLoops.runVirtual(() -> {
            Future<Integer> outer = Asyncio.shield(() -> 42);
            assertSame(Asyncio.getRunningLoop(), outer.getLoop());
            assertEquals(42, outer.await());
        });
    }

    @Test
    void shieldOfACoroutineWithoutACurrentLoopIsRejected() {
        assertThrows(IllegalStateException.class, () -> Asyncio.shield(() -> 42));
    }
}
