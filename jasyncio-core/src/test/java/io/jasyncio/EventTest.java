package io.jasyncio;

import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventTest {

    @Test
    void newEventIsUnset() {
        assertFalse(new Event().isSet());
    }

    @Test
    void setWakesEveryWaiterInWaitingOrder() {
        runVirtual(() -> {
            Event ev = new Event();
            List<Integer> order = new ArrayList<>();
            Task<?> t1 = Asyncio.createTask(() -> { ev.await(); order.add(1); });
            Task<?> t2 = Asyncio.createTask(() -> { ev.await(); order.add(2); });
            Asyncio.sleep(0);
            assertEquals(List.of(), order);
            // t3 has not started when set() runs: it finds the event set and does not wait,
            // so it runs first, as in asyncio's test_wait.
            Task<?> t3 = Asyncio.createTask(() -> { ev.await(); order.add(3); });
            ev.set();
            Asyncio.sleep(0);
            assertEquals(List.of(3, 1, 2), order);
            assertTrue(t1.done() && t2.done() && t3.done());
        });
    }

    @Test
    void awaitOnSetEventDoesNotSuspend() {
        runVirtual(() -> {
            Event ev = new Event();
            ev.set();
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task ran"));
            ev.await();
            assertEquals(List.of(), events);
        });
    }

    @Test
    void clearMakesLaterAwaitsSuspend() {
        runVirtual(() -> {
            Event ev = new Event();
            ev.set();
            assertTrue(ev.isSet());
            ev.clear();
            assertFalse(ev.isSet());
            Task<?> waiter = Asyncio.createTask(() -> ev.await());
            Asyncio.sleep(1);
            assertFalse(waiter.done());
            ev.set();
            waiter.await();
            assertEquals(1.0, SyncTestSupport.now());
        });
    }

    @Test
    void waiterWokenBySetReturnsEvenIfClearedBeforeItResumes() {
        runVirtual(() -> {
            Event ev = new Event();
            List<Integer> woke = new ArrayList<>();
            Task<?> t = Asyncio.createTask(() -> { ev.await(); woke.add(1); });
            Asyncio.sleep(0);
            ev.set();
            ev.clear();
            assertFalse(ev.isSet());
            ev.set();
            ev.set();
            assertEquals("Event[set, waiters:1]", ev.toString(), "woken, not yet resumed");
            Asyncio.sleep(0);
            assertEquals(List.of(1), woke);
            assertTrue(t.done());
            assertEquals("Event[set]", ev.toString());
        });
    }

    @Test
    void everyWaiterWakesEvenThoseThatWaitAgainAfterClear() {
        runVirtual(() -> {
            Event ev = new Event();
            int[] rounds = new int[3];
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    ev.await();
                    rounds[n]++;
                    ev.await();
                    rounds[n]++;
                }));
            }
            Asyncio.sleep(0);
            ev.set();
            ev.clear();
            Asyncio.sleep(0);
            assertArrayEquals(new int[] {1, 1, 1}, rounds, "all woken by the first set, now waiting again");
            ev.set();
            for (Task<?> t : tasks) {
                t.await();
            }
            assertArrayEquals(new int[] {2, 2, 2}, rounds);
        });
    }

    @Test
    void cancelledWaiterLeavesNoTrace() {
        runVirtual(() -> {
            Event ev = new Event();
            Task<?> waiter = Asyncio.createTask(() -> ev.await());
            Asyncio.getRunningLoop().callSoon(() -> waiter.cancel());
            assertThrows(CancelledError.class, waiter::await);
            assertEquals("Event[unset]", ev.toString());
        });
    }

    @Test
    void waiterCancelledAfterSetDoesNotStopOthers() {
        runVirtual(() -> {
            Event ev = new Event();
            Task<?> a = Asyncio.createTask(() -> ev.await());
            Task<?> b = Asyncio.createTask(() -> ev.await());
            Asyncio.sleep(0);
            ev.set();
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            b.await();
            assertFalse(b.cancelled());
        });
    }

    @Test
    void setFromCallbackWakesWaiterAtTheRightTime() {
        runVirtual(() -> {
            Event ev = new Event();
            Asyncio.getRunningLoop().callLater(2.5, ev::set);
            ev.await();
            assertEquals(2.5, SyncTestSupport.now());
        });
    }
}
