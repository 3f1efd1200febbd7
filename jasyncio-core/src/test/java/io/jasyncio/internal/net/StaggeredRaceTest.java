package io.jasyncio.internal.net;

import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The staggered race behind Happy Eyeballs, on the virtual clock: times are exact. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaggeredRaceTest {

    private static <T> T runVirtual(AsyncCallable<T> main) {
        return Asyncio.run(main, () -> EventLoop.newEventLoop(new VirtualClock()), null);
    }

    /** A coroutine that records when it starts, sleeps, then returns or throws. */
    private static AsyncCallable<String> attempt(List<String> log, String name, double sleep, Supplier<RuntimeException> failure) {
        return () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            log.add(name + " start " + loop.time());
            try {
                Asyncio.sleep(sleep);
            } catch (CancelledError e) {
                log.add(name + " cancelled " + loop.time());
                throw e;
            }
            if (failure != null) {
                log.add(name + " fails " + loop.time());
                throw failure.get();
            }
            log.add(name + " wins " + loop.time());
            return name;
        };
    }

    @Test
    void theFirstStartsAtOnceAndTheNextAfterTheDelay() {
        List<String> log = new ArrayList<>();
        StaggeredRace.Outcome<String> outcome = runVirtual(() -> StaggeredRace.run(Asyncio.getRunningLoop(),
                List.of(attempt(log, "a", 10, null), attempt(log, "b", 1, null)), Duration.ofSeconds(2), s -> { }));
        assertEquals("b", outcome.winnerResult());
        assertEquals(1, outcome.winnerIndex());
        assertEquals(List.of("a start 0.0", "b start 2.0", "b wins 3.0", "a cancelled 3.0"), log);
        assertInstanceOf(CancelledError.class, outcome.exceptions().get(0));
        assertNull(outcome.exceptions().get(1));
    }

    @Test
    void aFailureStartsTheNextAttemptAtOnce() {
        List<String> log = new ArrayList<>();
        StaggeredRace.Outcome<String> outcome = runVirtual(() -> StaggeredRace.run(Asyncio.getRunningLoop(),
                List.of(attempt(log, "a", 0.5, () -> new IllegalStateException("refused")), attempt(log, "b", 1, null)),
                Duration.ofSeconds(2), s -> { }));
        assertEquals(List.of("a start 0.0", "a fails 0.5", "b start 0.5", "b wins 1.5"), log);
        assertEquals("b", outcome.winnerResult());
        assertEquals("refused", outcome.exceptions().get(0).getMessage());
    }

    @Test
    void onlyTheLatestAttemptsFailureStartsTheNextEarly() {
        List<String> log = new ArrayList<>();
        runVirtual(() -> StaggeredRace.run(Asyncio.getRunningLoop(), List.of(
                attempt(log, "a", 1.5, IllegalStateException::new),
                attempt(log, "b", 10, null),
                attempt(log, "c", 1, null)), Duration.ofSeconds(1), s -> { }));
        assertEquals(List.of("a start 0.0", "b start 1.0", "a fails 1.5", "c start 2.0", "c wins 3.0",
                "b cancelled 3.0"), log);
    }

    @Test
    void withoutADelayTheNextStartsOnlyWhenThePreviousFails() {
        List<String> log = new ArrayList<>();
        StaggeredRace.Outcome<String> outcome = runVirtual(() -> StaggeredRace.run(Asyncio.getRunningLoop(), List.of(
                attempt(log, "a", 100, IllegalStateException::new), attempt(log, "b", 1, null)), null, s -> { }));
        assertEquals(List.of("a start 0.0", "a fails 100.0", "b start 100.0", "b wins 101.0"), log);
        assertEquals(1, outcome.winnerIndex());
    }

    @Test
    void whenEveryAttemptFailsThereIsNoWinnerAndEveryErrorIsKept() {
        StaggeredRace.Outcome<String> outcome = runVirtual(() -> StaggeredRace.run(Asyncio.getRunningLoop(), List.of(
                attempt(new ArrayList<>(), "a", 1, () -> new IllegalStateException("one")),
                attempt(new ArrayList<>(), "b", 1, () -> new IllegalStateException("two"))),
                Duration.ofMillis(500), s -> { }));
        assertNull(outcome.winnerResult());
        assertEquals(-1, outcome.winnerIndex());
        assertEquals(List.of("one", "two"), outcome.exceptions().stream().map(Throwable::getMessage).toList());
    }

    @Test
    void cancellingTheRaceCancelsEveryAttemptAndWaitsForThem() {
        List<String> log = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AsyncCallable<String> slowToStop = () -> {
                try {
                    Asyncio.sleep(100);
                    return "never";
                } finally {
                    log.add("cleanup " + loop.time());
                }
            };
            Task<StaggeredRace.Outcome<String>> race = Asyncio.createTask(() -> StaggeredRace.run(loop,
                    List.of(slowToStop, slowToStop, slowToStop), Duration.ofSeconds(1), s -> { }));
            Asyncio.sleep(1.5);
            race.cancel();
            assertThrows(CancelledError.class, race::await);
            assertEquals(List.of("cleanup 1.5", "cleanup 1.5"), log, "both started attempts ended; the third never started");
            return null;
        });
    }

    @Test
    void aWinnerThatNobodyWillTakeIsDiscarded() {
        List<String> discarded = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AsyncCallable<String> quick = () -> "won";
            AsyncCallable<String> stubborn = () -> {
                try {
                    Asyncio.sleep(100);
                } catch (CancelledError e) {
                    Asyncio.sleep(5);          // slow to let go: still running when the race is cancelled
                }
                return "late";
            };
            Task<StaggeredRace.Outcome<String>> race = Asyncio.createTask(() -> StaggeredRace.run(loop,
                    List.of(stubborn, quick), Duration.ofSeconds(1), discarded::add));
            Asyncio.sleep(1.5);                // "won" at 1.0; the race waits for the stubborn attempt
            assertFalse(race.done());
            race.cancel();
            assertThrows(CancelledError.class, race::await);
            return null;
        });
        assertEquals(List.of("won"), discarded);
    }
}
