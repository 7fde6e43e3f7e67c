package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchStatisticsTest {

    @Test
    void medianOfOddCountIsTheMiddleValueWhateverTheOrder() {
        assertEquals(5.0, BenchStatistics.median(List.of(9.0, 1.0, 5.0)));
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, BenchStatistics.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void medianOfNothingIsNaN() {
        assertTrue(Double.isNaN(BenchStatistics.median(List.of())));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> values = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            values.add((double) i);
        }
        assertEquals(50.0, BenchStatistics.percentile(values, 50));
        assertEquals(99.0, BenchStatistics.percentile(values, 99));
        assertEquals(100.0, BenchStatistics.percentile(values, 100));
        assertEquals(1.0, BenchStatistics.percentile(values, 0.5));
        // 20 samples: p99 is the largest, p50 the 10th.
        List<Double> twenty = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            twenty.add(i * 10.0);
        }
        assertEquals(200.0, BenchStatistics.percentile(twenty, 99));
        assertEquals(100.0, BenchStatistics.percentile(twenty, 50));
    }

    @Test
    void rejectsPercentilesOutsideTheRangeAndNaNSamples() {
        assertThrows(IllegalArgumentException.class, () -> BenchStatistics.percentile(List.of(1.0), 0));
        assertThrows(IllegalArgumentException.class, () -> BenchStatistics.percentile(List.of(1.0), 101));
        assertThrows(IllegalArgumentException.class, () -> BenchStatistics.median(List.of(1.0, Double.NaN)));
    }

    @Test
    void ratioNeedsTwoNumbersAndAPositiveDivisor() {
        assertEquals(0.5, BenchStatistics.ratio(50, 100));
        assertTrue(Double.isNaN(BenchStatistics.ratio(Double.NaN, 100)));
        assertTrue(Double.isNaN(BenchStatistics.ratio(50, Double.NaN)));
        assertTrue(Double.isNaN(BenchStatistics.ratio(50, 0)));
    }
}
