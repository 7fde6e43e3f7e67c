package dev.mcgate.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Medians and nearest-rank percentiles of a few samples, as the benchmark quotes them over its rounds.
 */
public final class BenchStatistics {

    private BenchStatistics() {}

    /** The median: the middle value, or the mean of the two middle values; NaN when there are no samples. */
    public static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(samples);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest sample such that at least {@code percent} % of the samples are <= it.
     *
     * @return NaN when there are no samples
     */
    public static double percentile(List<Double> samples, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percent);
        }
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(samples);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    /** a / b, or NaN when either is missing (NaN) or b is not positive: a ratio to nothing means nothing. */
    public static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b <= 0) {
            return Double.NaN;
        }
        return a / b;
    }

    private static List<Double> sorted(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        if (sorted.stream().anyMatch(v -> v == null || v.isNaN())) {
            throw new IllegalArgumentException("samples must be numbers: " + samples);
        }
        Collections.sort(sorted);
        return sorted;
    }
}
