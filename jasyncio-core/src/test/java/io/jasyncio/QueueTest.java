package io.jasyncio;

import static io.jasyncio.SyncTestSupport.now;
import static io.jasyncio.SyncTestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {

    /** The three queue kinds, for the behaviours they share; the name is the JUnit display name. */
    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("Queue", (IntFunction<Queue<String>>) Queue::new),
                Arguments.of("LifoQueue", (IntFunction<Queue<String>>) LifoQueue::new),
                Arguments.of("PriorityQueue", (IntFunction<Queue<String>>) PriorityQueue::new));
    }

    // ---------------------------------------------------------------- basics

    @Test
    void emptyFullQsizeAndMaxsize() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals(2, q.maxsize());
            assertTrue(q.empty());
            assertFalse(q.full());
            q.put(1);
            assertFalse(q.empty());
            assertEquals(1, q.qsize());
            q.put(2);
            assertTrue(q.full());
            assertEquals(1, q.get());
            assertFalse(q.full());
        });
    }

    @Test
    void nonPositiveMaxsizeMeansUnbounded() {
        for (int maxsize : new int[] {0, -1}) {
            Queue<Integer> q = new Queue<>(maxsize);
            for (int i = 0; i < 1000; i++) {
                q.putNowait(i);
            }
            assertFalse(q.full());
            assertEquals(1000, q.qsize());
            assertEquals(maxsize, q.maxsize());
        }
        assertEquals(0, new Queue<>().maxsize());
    }

    @Test
    void fifoQueueKeepsInsertionOrderAcrossGrowthAndWrapAround() {
        Queue<Integer> q = new Queue<>();
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 7; i++) {
                q.putNowait(next++);
            }
            for (int i = 0; i < 5; i++) {
                out.add(q.getNowait());
            }
        }
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        assertEquals(IntStream.range(0, next).boxed().toList(), out);
    }

    @Test
    void lifoQueueReturnsNewestFirst() {
        runVirtual(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(2, 3, 1), List.of(q.get(), q.get(), q.get()));
        });
    }

    @Test
    void lifoQueueWorksAfterWrapAround() {
        LifoQueue<Integer> q = new LifoQueue<>();
        for (int i = 0; i < 40; i++) {
            q.putNowait(i);
        }
        for (int i = 39; i >= 30; i--) {
            assertEquals(i, q.getNowait());
        }
        q.putNowait(100);
        assertEquals(100, q.getNowait());
        assertEquals(29, q.getNowait());
    }

    @Test
    void priorityQueueReturnsSmallestFirst() {
        runVirtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(1, 2, 3), List.of(q.get(), q.get(), q.get()));
        });
    }

    @Test
    void priorityQueueSortsManyItems() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        Random random = new Random(7);
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int v = random.nextInt(100);
            in.add(v);
            q.putNowait(v);
        }
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        assertEquals(in.stream().sorted().toList(), out);
    }

    @Test
    void priorityQueueUsesComparator() {
        PriorityQueue<String> q = new PriorityQueue<>(Comparator.comparing(String::length).reversed());
        for (String s : List.of("bb", "a", "dddd", "ccc")) {
            q.putNowait(s);
        }
        assertEquals(List.of("dddd", "ccc", "bb", "a"),
                List.of(q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()));
        assertNotNull(q.comparator());
    }

    private record Job(int priority, String name) {
    }

    @Test
    void priorityTiesComeOutInHeapqOrder() {
        // Expected values computed with CPython's heapq (3.11, unchanged since): heappush of these
        // (priority, name) pairs compared on priority only, three heappops, two more heappushes,
        // then heappop until empty.
        PriorityQueue<Job> q = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
        int[] priorities = {2, 1, 2, 1, 2, 1, 3, 2, 1, 2};
        for (int i = 0; i < names.length; i++) {
            q.putNowait(new Job(priorities[i], names[i]));
        }
        assertTrue(q.toString().contains("items=[Job[priority=1, name=b], Job[priority=1, name=d], "
                + "Job[priority=1, name=f], Job[priority=1, name=i], Job[priority=2, name=e]"), q.toString());
        List<String> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait().name());
            if (out.size() == 3) {
                q.putNowait(new Job(1, "k"));
                q.putNowait(new Job(2, "m"));
            }
        }
        assertEquals(List.of("b", "f", "d", "i", "k", "c", "j", "h", "a", "e", "m", "g"), out);
    }

    @Test
    void priorityQueueRejectsIncomparableItemAndStaysIntact() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        q.putNowait(3);
        q.putNowait(1);
        assertThrows(ClassCastException.class, () -> q.putNowait("x"));
        assertEquals(2, q.qsize());
        assertEquals(1, q.getNowait());
        assertEquals(3, q.getNowait());
    }

    @Test
    void nullItemsAreRejected() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            assertEquals("item", assertThrows(NullPointerException.class, () -> q.putNowait(null)).getMessage());
            assertThrows(NullPointerException.class, () -> q.put(null));
            assertTrue(q.empty());
        });
    }

    @Test
    void getNowaitOnEmptyQueueThrowsQueueEmpty() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmpty.class, q::getNowait);
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Test
    void putNowaitOnFullQueueThrowsQueueFull() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait(2));
        assertEquals("queue is full (maxsize 1)", e.getMessage());
        assertEquals(1, q.qsize());
    }

    // ---------------------------------------------------------------- suspending put and get

    @Test
    void putSuspendsWhenFullUntilAGet() {
        // asyncio's test_maxsize.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            List<Integer> havePut = new ArrayList<>();
            Task<?> putter = Asyncio.createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    q.put(i);
                    havePut.add(i);
                }
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1), havePut);
            assertEquals(0, q.get());
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1, 2), havePut);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
            assertTrue(putter.done());
        });
    }

    @Test
    void getSuspendsUntilAnItemArrives() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Asyncio.getRunningLoop().callLater(0.01, () -> q.putNowait(1));
            assertEquals(1, q.get());
            assertEquals(0.01, now(), 1e-9);
        });
    }

    @Test
    void putSuspendsUntilAGetFromACallback() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            Asyncio.getRunningLoop().callLater(2, q::getNowait);
            q.put(1);
            q.put(2);
            assertEquals(2.0, now());
            assertEquals(2, q.getNowait());
        });
    }

    @Test
    void getServesWaitingPuttersInOrder() {
        // asyncio's test_get_with_waiting_putters.
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            Asyncio.createTask(() -> q.put("a"));
            Asyncio.createTask(() -> q.put("b"));
            assertEquals("a", q.get());
            assertEquals("b", q.get());
        });
    }

    @Test
    void putWakesWaitingGetter() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=0, getters:1]", q.toString());
            q.put("a");
            assertEquals("a", getter.await());
        });
    }

    @Test
    void waitingGettersAreServedInFifoOrder() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> got = new ArrayList<>();
            List<Task<?>> getters = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                getters.add(Asyncio.createTask(() -> { got.add(name + "=" + q.get()); }));
            }
            Asyncio.sleep(0);
            for (int i = 1; i <= 3; i++) {
                q.putNowait(i);
            }
            for (Task<?> t : getters) {
                t.await();
            }
            assertEquals(List.of("g1=1", "g2=2", "g3=3"), got);
        });
    }

    @Test
    void producerAndConsumerThroughBoundedQueue() {
        // asyncio's test_why_are_getters_waiting and test_why_are_putters_waiting.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            List<Integer> got = new ArrayList<>();
            Task<?> producer = Asyncio.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    q.put(i);
                }
            });
            Task<?> consumer = Asyncio.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    got.add(q.get());
                }
            });
            producer.await();
            consumer.await();
            assertEquals(List.of(0, 1, 2, 3, 4), got);
        });
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void cancelledGetterIsSkippedByPut() {
        // asyncio's test_get_cancelled_race.
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t1 = Asyncio.createTask(q::get);
            Task<String> t2 = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            t1.cancel();
            Asyncio.sleep(0);
            assertTrue(t1.done());
            q.put("a");
            Asyncio.sleep(0);
            assertEquals("a", t2.await());
            assertTrue(t1.cancelled());
        });
    }

    @Test
    void getterCancelledAfterItemArrivedLosesNoItem() {
        // asyncio's test_get_cancel_drop_one_pending_reader: the getter is woken for item 1 and
        // cancelled before it resumes; item 1 must still be the next one got.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);
            q.putNowait(2);
            reader.cancel();
            assertThrows(CancelledError.class, reader::await);
            assertEquals(2, q.qsize(), "the cancelled getter took nothing");
            assertEquals(1, Asyncio.createTask(q::get).await());
        });
    }

    @Test
    void cancelledWokenGetterPassesWakeUpToNextGetter() {
        // asyncio's test_get_cancel_drop_many_pending_readers.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader1 = Asyncio.createTask(q::get);
            Task<Integer> reader2 = Asyncio.createTask(q::get);
            Task<Integer> reader3 = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);
            q.putNowait(2);
            reader1.cancel();
            assertThrows(CancelledError.class, reader1::await);
            int r3 = reader3.await();
            int r2 = reader2.await();
            assertEquals(Set.of(1, 2), Set.of(r2, r3));
            assertTrue(q.empty());
        });
    }

    @Test
    void getterCancelledByTimeoutLeavesNoWaiter() {
        // asyncio's test_cancelled_getters_not_being_held_in_self_getters.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(5);
            Task<Integer> getter = Asyncio.createTask(q::get);
            Asyncio.getRunningLoop().callLater(0.1, () -> getter.cancel());
            assertThrows(CancelledError.class, getter::await);
            assertEquals(0.1, now(), 1e-9);
            assertEquals("Queue[maxsize=5]", q.toString());
        });
    }

    @Test
    void cancelledWaitingPutterInsertsNothing() {
        // asyncio's test_put_cancel_drop.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<?> writer = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            assertEquals(1, q.getNowait());
            writer.cancel();
            assertThrows(CancelledError.class, writer::await);
            assertTrue(q.empty(), "the putter was woken for the slot but cancelled: no insert");
            Asyncio.createTask(() -> q.put(2)).await();
            assertEquals(2, q.getNowait());
            assertEquals(0, q.qsize());
        });
    }

    @Test
    void cancelledPutterIsSkippedAndOthersKeepOrder() {
        // asyncio's test_put_cancelled_race.
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            Task<?> putA = Asyncio.createTask(() -> q.put("a"));
            Task<?> putB = Asyncio.createTask(() -> q.put("b"));
            Task<?> putC = Asyncio.createTask(() -> q.put("X"));
            Asyncio.sleep(0);
            assertTrue(putA.done());
            assertFalse(putB.done());
            putC.cancel();
            Asyncio.sleep(0);
            assertTrue(putC.done());
            assertEquals("a", q.getNowait());
            Asyncio.sleep(0);
            assertEquals("b", q.getNowait());
            putB.await();
            assertTrue(q.empty());
        });
    }

    @Test
    void cancelledPutterLeavesNoWaiter() {
        // asyncio's test_cancelled_puts_not_being_held_in_self_putters.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<?> putTask = Asyncio.createTask(() -> q.put(1));
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=1, items=[1], putters:1, tasks=1]", q.toString());
            putTask.cancel();
            assertThrows(CancelledError.class, putTask::await);
            assertEquals("Queue[maxsize=1, items=[1], tasks=1]", q.toString());
        });
    }

    @Test
    void putterWokenThenCancelledPassesSlotToNextPutter() {
        // asyncio's test_cancelled_put_silence_value_error_exception, plus a second putter that
        // must receive the slot the cancelled one was woken for.
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<?> first = Asyncio.createTask(() -> q.put(10));
            Task<?> second = Asyncio.createTask(() -> q.put(20));
            Asyncio.sleep(0);
            q.getNowait();
            first.cancel();
            assertThrows(CancelledError.class, first::await);
            second.await();
            assertEquals(List.of(20), List.of(q.getNowait()));
            assertTrue(q.empty());
        });
    }

    @Test
    void noItemIsLostOrDuplicatedUnderRandomCancellation() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(3);
            Set<Integer> put = new HashSet<>();
            List<Integer> got = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            int[] next = {0};
            for (int p = 0; p < 4; p++) {
                tasks.add(Asyncio.createTask(() -> {
                    while (true) {
                        int item = next[0]++;
                        q.put(item);
                        put.add(item);
                        Asyncio.sleep(0.01);
                    }
                }));
            }
            for (int c = 0; c < 4; c++) {
                tasks.add(Asyncio.createTask(() -> {
                    while (true) {
                        got.add(q.get());
                        Asyncio.sleep(0.015);
                    }
                }));
            }
            Random random = new Random(1);
            for (int round = 0; round < 200; round++) {
                Asyncio.sleep(random.nextInt(3) * 0.005);
                Task<?> victim = tasks.get(random.nextInt(tasks.size()));
                if (victim.cancel()) {
                    assertThrows(CancelledError.class, victim::await);
                    int index = tasks.indexOf(victim);
                    boolean producer = index < 4;
                    tasks.set(index, Asyncio.createTask(producer
                            ? () -> {
                                while (true) {
                                    int item = next[0]++;
                                    q.put(item);
                                    put.add(item);
                                    Asyncio.sleep(0.01);
                                }
                            }
                            : () -> {
                                while (true) {
                                    got.add(q.get());
                                    Asyncio.sleep(0.015);
                                }
                            }));
                }
            }
            for (Task<?> t : tasks) {
                t.cancel();
            }
            for (Task<?> t : tasks) {
                assertThrows(CancelledError.class, t::await);
            }
            while (!q.empty()) {
                got.add(q.getNowait());
            }
            assertEquals(got.size(), new HashSet<>(got).size(), "no item was got twice");
            assertEquals(put, new HashSet<>(got), "every item put was got, and nothing else");
            assertTrue(got.size() > 100, "the workload moved items: " + got.size());
        });
    }

    // ---------------------------------------------------------------- taskDone and join

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void taskDoneCalledTooOftenThrows(String kind, IntFunction<Queue<String>> factory) {
        Queue<String> q = factory.apply(0);
        assertEquals("taskDone() called too many times",
                assertThrows(IllegalStateException.class, q::taskDone).getMessage());
        q.putNowait("x");
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void joinReturnsWhenEveryItemIsProcessed(String kind, IntFunction<Queue<String>> factory) {
        // asyncio's test_task_done.
        runVirtual(() -> {
            Queue<String> q = factory.apply(0);
            for (int i = 0; i < 100; i++) {
                q.putNowait(String.format("%03d", i));
            }
            int[] processed = {0};
            List<Task<?>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(Asyncio.createTask(() -> {
                    while (true) {
                        q.get();
                        Asyncio.sleep(0.001);
                        processed[0]++;
                        q.taskDone();
                    }
                }));
            }
            q.join();
            assertEquals(100, processed[0]);
            assertEquals(0.05, now(), 1e-9, "two workers, 100 items of 1 ms each");
            for (Task<?> w : workers) {
                w.cancel();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void joinOnQueueWithNothingPendingReturnsAtOnce(String kind, IntFunction<Queue<String>> factory) {
        runVirtual(() -> {
            Queue<String> q = factory.apply(0);
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task ran"));
            q.join();
            q.join();
            assertEquals(List.of(), events, "join() with no unfinished item does not suspend");
        });
    }

    @Test
    void joinWaitsForTaskDoneNotJustForGet() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("job");
            Task<?> joiner = Asyncio.createTask(q::join);
            q.getNowait();
            Asyncio.sleep(1);
            assertFalse(joiner.done(), "got but not processed");
            q.taskDone();
            joiner.await();
            assertEquals(1.0, now());
        });
    }

    // ---------------------------------------------------------------- shutdown

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shutdownOfEmptyQueueFailsWaitingGetterAndLaterCalls(String kind, IntFunction<Queue<String>> factory) {
        // asyncio's test_shutdown_empty.
        runVirtual(() -> {
            Queue<String> q = factory.apply(0);
            Task<String> getTask = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.shutdown();
            assertEquals(0, q.qsize());
            q.join();
            Asyncio.sleep(0);
            assertTrue(getTask.done());
            assertThrows(QueueShutDown.class, getTask::await);
            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shutdownLetsRemainingItemsBeGotAndJoinWaitForThem(String kind, IntFunction<Queue<String>> factory) {
        // asyncio's test_shutdown_nonempty.
        runVirtual(() -> {
            Queue<String> q = factory.apply(1);
            q.putNowait("data");
            Task<?> joinTask = Asyncio.createTask(q::join);
            Task<?> putTask = Asyncio.createTask(() -> q.put("data2"));
            Asyncio.sleep(0);
            assertFalse(putTask.done());

            q.shutdown(false);
            assertEquals(1, q.qsize());
            Asyncio.sleep(0);
            assertTrue(putTask.done());
            assertThrows(QueueShutDown.class, putTask::await);

            assertEquals("data", q.get());
            Asyncio.sleep(0);
            assertFalse(joinTask.done());
            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);

            q.taskDone();
            Asyncio.sleep(0);
            assertTrue(joinTask.done());
            joinTask.await();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void immediateShutdownDrainsItemsAndReleasesJoin(String kind, IntFunction<Queue<String>> factory) {
        // asyncio's test_shutdown_immediate.
        runVirtual(() -> {
            Queue<String> q = factory.apply(0);
            q.putNowait("data");
            Task<?> joinTask = Asyncio.createTask(q::join);
            q.shutdown(true);
            assertEquals(0, q.qsize());
            Asyncio.sleep(0);
            assertTrue(joinTask.done());
            joinTask.await();
            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void immediateShutdownKeepsItemsAlreadyGotUnfinished(String kind, IntFunction<Queue<String>> factory) {
        // asyncio's test_shutdown_immediate_with_unfinished.
        runVirtual(() -> {
            Queue<String> q = factory.apply(0);
            q.putNowait("data");
            q.putNowait("data");
            Task<?> joinTask = Asyncio.createTask(q::join);
            assertEquals("data", q.get());
            q.shutdown(true);
            assertEquals(0, q.qsize());
            Asyncio.sleep(0);
            assertFalse(joinTask.done(), "the item got before the shutdown is not processed yet");
            assertThrows(QueueShutDown.class, q::get);
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            Asyncio.sleep(0);
            assertTrue(joinTask.done());
        });
    }

    @Test
    void shutdownWakesEveryWaitingPutterWithQueueShutDown() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            List<Task<?>> putters = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int item = i;
                putters.add(Asyncio.createTask(() -> q.put(item)));
            }
            Asyncio.sleep(0);
            q.shutdown();
            for (Task<?> p : putters) {
                assertThrows(QueueShutDown.class, p::await);
            }
            assertEquals(1, q.qsize(), "no putter inserted its item");
            assertEquals(0, q.get(), "the item put before the shutdown can still be got");
        });
    }

    @Test
    void immediateShutdownFailsPutterWaitingForSlotItFreed() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Task<?> putter = Asyncio.createTask(() -> q.put(1));
            Asyncio.sleep(0);
            q.shutdown(true);
            assertFalse(q.full());
            assertThrows(QueueShutDown.class, putter::await);
            assertTrue(q.empty());
        });
    }

    @Test
    void getterWokenByShutdownTakesItemStillInQueue() {
        // g1 is woken by the put; g2, still waiting, is woken by the shutdown. g1 resumes first and
        // takes the item; g2 then finds the queue empty and shut down.
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> g1 = Asyncio.createTask(q::get);
            Task<String> g2 = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("last");
            q.shutdown();
            assertEquals("last", g1.await());
            assertThrows(QueueShutDown.class, g2::await);
        });
    }

    @Test
    void getterCancelledWhileShuttingDownSeesCancellation() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.shutdown();
            getter.cancel();
            assertThrows(CancelledError.class, getter::await);
        });
    }

    // ---------------------------------------------------------------- misc

    @Test
    void waitingOnQueueOfAnotherLoopIsRejected() {
        Queue<Integer> q = new Queue<>();
        runVirtual(() -> {
            Task<Integer> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);
            assertEquals(1, getter.await());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runVirtual(q::get));
        assertTrue(e.getMessage().endsWith("is bound to a different event loop"), e.getMessage());
        q.putNowait(2);
        assertEquals(2, q.getNowait(), "the non-waiting methods need no loop");
    }

    @Test
    void toStringShowsItemsWaitersTasksAndShutdown() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            assertEquals("Queue[maxsize=1]", q.toString());
            q.putNowait(1);
            Task<?> putter = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=1, items=[1], putters:1, tasks=1]", q.toString());
            q.shutdown();
            assertThrows(QueueShutDown.class, putter::await);
            assertEquals("Queue[maxsize=1, items=[1], tasks=1, shutdown]", q.toString());
            assertEquals("LifoQueue[maxsize=0]", new LifoQueue<>().toString());
            assertEquals("PriorityQueue[maxsize=0]", new PriorityQueue<>().toString());
        });
    }
}
