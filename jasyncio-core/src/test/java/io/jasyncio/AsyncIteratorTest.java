package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncIteratorTest {

    private static <T> T run(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** The seed's AsyncIterator: each __anext__ sleeps 0.1 s, then the iteration ends. */
    static final class SeedIterator implements AsyncIterator<Object> {
        int calls;

        @Override
        public Object anext() {
            calls++;
            Asyncio.sleep(0.1);
            throw new StopAsyncIteration();
        }
    }

    /** Yields 1, then 2, each after a 0.5 s sleep: CPython's MyAsyncIter. */
    static final class OneTwo implements AsyncIterator<Integer> {
        int yielded;
        int calls;

        @Override
        public Integer anext() {
            calls++;
            Asyncio.sleep(0.5);
            if (yielded >= 2) {
                throw new StopAsyncIteration();
            }
            return ++yielded;
        }
    }

    @Test
    void seedIteratorSleepsOnceAndEndsTheForLoop() {
        SeedIterator it = new SeedIterator();
        double ended = run(() -> {
            for (Object ignored : it) {
                fail("the seed iterator yields nothing");
            }
            return Asyncio.getRunningLoop().time();
        });
        assertEquals(0.1, ended, 1e-9);
        assertEquals(1, it.calls);
    }

    @Test
    void forLoopOverHandWrittenIteratorSuspendsInHasNext() {
        List<Object> seen = run(() -> {
            List<Object> out = new ArrayList<>();
            for (int v : new OneTwo()) {
                out.add(v);
                out.add(Asyncio.getRunningLoop().time());
            }
            return out;
        });
        assertEquals(List.of(1, 0.5, 2, 1.0), seen);
    }

    @Test
    void anextWithDefaultReturnsDefaultAfterTheEnd() {
        List<Integer> values = run(() -> {
            OneTwo it = new OneTwo();
            return List.of(it.anext(), it.anext(), it.anext(-1), it.anext(-1));
        });
        assertEquals(List.of(1, 2, -1, -1), values);
    }

    @Test
    void anextWithoutDefaultKeepsThrowingStopAsyncIteration() {
        run(() -> {
            OneTwo it = new OneTwo();
            it.anext();
            it.anext();
            assertThrows(StopAsyncIteration.class, it::anext);
            assertThrows(StopAsyncIteration.class, it::anext);
            return null;
        });
    }

    @Test
    void viewStopsCallingAnextOnceItSawTheEnd() {
        run(() -> {
            OneTwo source = new OneTwo();
            Iterator<Integer> view = source.iterator();
            while (view.hasNext()) {
                view.next();
            }
            assertFalse(view.hasNext());
            assertEquals(3, source.calls);
            assertThrows(StopAsyncIteration.class, view::next);
            assertEquals(3, source.calls);
            return null;
        });
    }

    @Test
    void hasNextTwiceFetchesOneValue() {
        run(() -> {
            OneTwo source = new OneTwo();
            Iterator<Integer> view = source.iterator();
            assertTrue(view.hasNext());
            assertTrue(view.hasNext());
            assertEquals(1, source.calls);
            assertEquals(1, view.next());
            assertEquals(2, view.next());
            assertFalse(view.hasNext());
            return null;
        });
    }

    @Test
    void checkedExceptionFromAnextComesOutOfForLoopUnchanged() {
        IOException broken = new IOException("connection reset");
        AsyncIterator<String> failing = () -> {
            Asyncio.sleep(0.1);
            throw broken;
        };
        IOException thrown = assertThrows(IOException.class, () -> run(() -> {
            for (String ignored : failing) {
                fail("no value expected");
            }
            return null;
        }));
        assertSame(broken, thrown);
    }

    @Test
    void anextWithDefaultRethrowsOtherExceptionsUnchanged() {
        IOException broken = new IOException("broken");
        AsyncIterator<String> failing = () -> {
            throw broken;
        };
        assertSame(broken, assertThrows(IOException.class, () -> run(() -> failing.anext("default"))));
    }

    @Test
    void toListCollectsHandWrittenIterator() {
        assertEquals(List.of(1, 2), run(() -> new OneTwo().toList()));
    }

    @Test
    void lambdaIteratorIsEndlessUntilTheLoopBreaks() {
        List<Integer> values = run(() -> {
            int[] next = {0};
            AsyncIterator<Integer> naturals = () -> {
                Asyncio.sleep(1);
                return next[0]++;
            };
            List<Integer> out = new ArrayList<>();
            for (int v : naturals) {
                if (v == 3) {
                    break;
                }
                out.add(v);
            }
            assertEquals(4.0, Asyncio.getRunningLoop().time(), 1e-9);
            return out;
        });
        assertEquals(List.of(0, 1, 2), values);
    }

    @Test
    void streamOfHandWrittenIteratorSuspendsForEachValue() {
        List<Integer> doubled = run(() -> {
            List<Integer> out = new OneTwo().stream().map(v -> v * 2).toList();
            assertEquals(1.5, Asyncio.getRunningLoop().time(), 1e-9);
            return out;
        });
        assertEquals(List.of(2, 4), doubled);
    }

    @Test
    void stopAsyncIterationIsANoSuchElementExceptionWithoutStackTrace() {
        StopAsyncIteration stop = new StopAsyncIteration("done");
        assertInstanceOf(java.util.NoSuchElementException.class, stop);
        assertEquals(0, stop.getStackTrace().length);
        assertEquals("done", stop.getMessage());
    }
}
