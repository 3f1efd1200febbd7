package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentileIsTheNearestRank() {
        double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        assertEquals(50, Stats.percentile(hundred, 50));
        assertEquals(99, Stats.percentile(hundred, 99));
        assertEquals(100, Stats.percentile(hundred, 100));
        assertEquals(1, Stats.percentile(hundred, 0));
        assertEquals(2, Stats.percentile(new double[] {1, 2, 3}, 50));
    }

    @Test
    void longPercentileLooksOnlyAtTheCountedPrefix() {
        long[] samples = LongStream.rangeClosed(1, 10).toArray();
        assertEquals(3, Stats.percentile(samples, 5, 50));
        assertEquals(5, Stats.percentile(samples, 5, 99));
    }

    @Test
    void medianOfAnOddCountIsTheMiddleSample() {
        assertEquals(3, Stats.median(new double[] {5, 1, 3}));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void medianLeavesTheSamplesInTheirOrder() {
        double[] samples = {3, 1, 2};
        Stats.median(samples);
        assertEquals(3, samples[0]);
    }

    @Test
    void statisticsOfNoSamplesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Stats.min(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new long[4], 0, 50));
    }

    @Test
    void percentileOutsideZeroToHundredIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stats.percentile(new double[] {1}, 101));
        assertEquals("p must be within 0..100: 101.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, Double.NaN));
    }
}
