package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 100; v >= 1; v--) {
            h.record(v);
        }
        assertEquals(50, h.percentile(50));
        assertEquals(90, h.percentile(90));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0.5));
        assertEquals(100, h.max());
        assertEquals(1, h.min());
    }

    @Test
    void exactBelow2048AgainstSortedSamples() {
        Random random = new Random(7);
        long[] samples = new long[10_001];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextInt(2048);
            h.record(samples[i]);
        }
        Arrays.sort(samples);
        for (double p : new double[] {1, 10, 50, 90, 99, 99.9, 100}) {
            assertEquals(nearestRank(samples, p), h.percentile(p), "p" + p);
        }
    }

    @Test
    void within0point1PercentAboveAndNeverAboveTheMax() {
        Random random = new Random(11);
        long[] samples = new long[5_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 2048 + (long) (random.nextDouble() * 50_000_000);
            h.record(samples[i]);
        }
        Arrays.sort(samples);
        for (double p : new double[] {50, 90, 99}) {
            long exact = nearestRank(samples, p);
            long reported = h.percentile(p);
            assertTrue(
                    reported >= exact && reported - exact <= exact / 1024, "p" + p + ": " + reported + " vs " + exact);
        }
        assertEquals(samples[samples.length - 1], h.percentile(100));
        assertEquals(samples[samples.length - 1], h.max());
    }

    @Test
    void bucketsAreConsistent() {
        for (long v = 0; v < 1 << 22; v += 7) {
            int index = LatencyHistogram.index(v);
            long top = LatencyHistogram.highestEquivalent(index);
            assertTrue(top >= v, "top of the bucket of " + v);
            assertEquals(index, LatencyHistogram.index(top));
            assertEquals(index + 1, LatencyHistogram.index(top + 1), "buckets are contiguous at " + v);
        }
    }

    @Test
    void clampsNegativeAndHugeValues() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(0, h.percentile(50));
        assertEquals((1L << 41) - 1, h.max());
    }

    @Test
    void emptyAndBadArguments() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(-1, h.percentile(50));
        assertEquals(-1, h.max());
        assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(100.1));
    }

    private static long nearestRank(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
