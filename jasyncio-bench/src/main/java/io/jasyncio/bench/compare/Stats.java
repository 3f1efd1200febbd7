package io.jasyncio.bench.compare;

import java.util.Arrays;

/** Order statistics of measured samples. */
final class Stats {
    private Stats() {
    }

    /**
     * The {@code p}-th percentile (0..100) of {@code sorted}, by the nearest-rank method: the
     * smallest sample with at least {@code p} percent of the samples at or below it.
     *
     * @throws IllegalArgumentException if {@code sorted} is empty or {@code p} is outside 0..100
     */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile of no samples");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be within 0..100: " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** As {@link #percentile(double[], double)} for integer samples. */
    static long percentile(long[] sorted, int count, double p) {
        if (count == 0) {
            throw new IllegalArgumentException("percentile of no samples");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be within 0..100: " + p);
        }
        int rank = (int) Math.ceil(p / 100 * count);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * The median of {@code samples} (the mean of the two middle ones for an even count).
     *
     * @throws IllegalArgumentException if there are no samples
     */
    static double median(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("median of no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    static double min(double[] samples) {
        return Arrays.stream(samples).min().orElseThrow(() -> new IllegalArgumentException("min of no samples"));
    }

    static double max(double[] samples) {
        return Arrays.stream(samples).max().orElseThrow(() -> new IllegalArgumentException("max of no samples"));
    }
}
