package io.jasyncio.bench.compare;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What running one {@link Entry} produced: its samples, or why there are none. A contender that
 * could not be run is {@linkplain #missing missing} (with the reason); one that ran and broke
 * {@linkplain #failure failed}. Both show in the report: no column is dropped silently.
 */
record Outcome(Entry entry, List<Sample> samples, String missing, String failure) {

    static Outcome measured(Entry entry, List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a measured outcome needs samples: " + entry.label());
        }
        return new Outcome(entry, List.copyOf(samples), null, null);
    }

    static Outcome missing(Entry entry, String reason) {
        return new Outcome(entry, List.of(), reason, null);
    }

    static Outcome failed(Entry entry, String reason) {
        return new Outcome(entry, List.of(), null, reason);
    }

    boolean ok() {
        return !samples.isEmpty();
    }

    double median(ToDoubleFunction<Sample> field) {
        return Stats.median(values(field));
    }

    double min(ToDoubleFunction<Sample> field) {
        return Stats.min(values(field));
    }

    double max(ToDoubleFunction<Sample> field) {
        return Stats.max(values(field));
    }

    /**
     * The figure ratios are taken of, higher is better: the median rate, or for the latency
     * workload the inverse of the median p99 latency.
     */
    double score() {
        return entry.workload().kind == Workload.Kind.LATENCY ? 1 / median(Sample::p99Micros) : median(Sample::rate);
    }

    /** Why there is no figure: "missing: ..." or "failed: ...", or null when measured. */
    String absence() {
        return missing != null ? "missing: " + missing : failure != null ? "failed: " + failure : null;
    }

    private double[] values(ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).toArray();
    }
}
