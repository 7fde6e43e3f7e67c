package dev.mcgate.lab;

/**
 * Counts latencies in microseconds in fixed memory, exact below 2048 µs and within 1/1024 (0.1 %) above, so a
 * receiver can run for hours at line rate and still report percentiles.
 *
 * <p>Log-linear buckets, as HdrHistogram does: values below 2048 have a bucket each; above, each power of two is
 * cut into 1024 equal buckets. Values above 2^40 µs (12 days) are clamped to it, negatives to 0.
 */
public final class LatencyHistogram {

    private static final int EXACT_LIMIT = 2048; // 2^11
    private static final int SUB_BUCKETS = 1024; // 2^10 per power of two above EXACT_LIMIT
    private static final int MAX_EXPONENT = 40;
    private static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;

    private final long[] counts = new long[EXACT_LIMIT + (MAX_EXPONENT - 10) * SUB_BUCKETS];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    public void record(long micros) {
        long value = Math.max(0, Math.min(micros, MAX_VALUE));
        counts[index(value)]++;
        total++;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    public long count() {
        return total;
    }

    /** Empties it, to count afresh without allocating another (its counts are 256 KB). */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
    }

    /** The largest recorded value (after clamping), exact; -1 when empty. */
    public long max() {
        return total == 0 ? -1 : max;
    }

    /** The smallest recorded value (after clamping), exact; -1 when empty. */
    public long min() {
        return total == 0 ? -1 : min;
    }

    /**
     * The nearest-rank percentile: the smallest recorded value v such that at least {@code percent} % of the
     * values are <= v. Exact below 2048 µs; above, the top of v's bucket, never more than {@link #max()}.
     *
     * @return -1 when nothing was recorded
     */
    public long percentile(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percent);
        }
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestEquivalent(i), max);
            }
        }
        throw new AssertionError("counts do not add up to the total");
    }

    static int index(long value) {
        if (value < EXACT_LIMIT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // 11..MAX_EXPONENT
        int mantissa = (int) (value >>> (exponent - 10)); // 1024..2047
        return EXACT_LIMIT + (exponent - 11) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
    }

    static long highestEquivalent(int index) {
        if (index < EXACT_LIMIT) {
            return index;
        }
        int exponent = 11 + (index - EXACT_LIMIT) / SUB_BUCKETS;
        long mantissa = SUB_BUCKETS + (index - EXACT_LIMIT) % SUB_BUCKETS;
        return ((mantissa + 1) << (exponent - 10)) - 1;
    }
}
