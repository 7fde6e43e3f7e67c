package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    /** Runs a search against a model forwarder: loss as a function of the offered rate; returns the rates tried. */
    private static List<Double> run(RateSearch search, DoubleUnaryOperator lossAt) {
        List<Double> tried = new ArrayList<>();
        for (OptionalDouble r = search.next(); r.isPresent(); r = search.next()) {
            tried.add(r.getAsDouble());
            search.record(r.getAsDouble(), lossAt.applyAsDouble(r.getAsDouble()));
            assertTrue(tried.size() < 50, "the search must end");
        }
        return tried;
    }

    /** A forwarder that loses nothing up to its capacity and more and more above it. */
    private static DoubleUnaryOperator capacity(double pps) {
        return rate -> rate <= pps ? 0 : 1 - pps / rate;
    }

    @Test
    void aSenderShortAtTheFirstRateGetsItOnceMoreThenTheSearchGoesOn() {
        RateSearch search = new RateSearch(25_000, 400_000, 0.01, 0);
        List<Double> tried = new ArrayList<>();
        double[] reached = {21_000, 25_000, 50_000, 80_000};
        for (OptionalDouble r = search.next(); r.isPresent(); r = search.next()) {
            double offered = r.getAsDouble();
            tried.add(offered);
            search.record(reached[Math.min(tried.size() - 1, reached.length - 1)], 0);
            assertTrue(tried.size() < 10);
        }
        // 25k reached 21k (a slow start): offered again, reached; 50k reached; 100k reached 80k: the sender's ceiling.
        assertEquals(List.of(25_000.0, 25_000.0, 50_000.0, 100_000.0), tried);
        assertEquals(80_000, search.highestPass());
    }

    @Test
    void aSenderShortAtTheFirstRateTwiceEndsTheSearchThere() {
        RateSearch search = new RateSearch(25_000, 400_000, 0.01, 0);
        search.record(21_000, 0);
        assertEquals(OptionalDouble.of(25_000), search.next());
        search.record(20_000, 0);
        assertTrue(search.isDone());
        assertEquals(21_000, search.highestPass());
    }

    @Test
    void doublesUntilAFailureThenBisects() {
        RateSearch search = new RateSearch(25_000, 400_000, 0.01, 2);
        List<Double> tried = run(search, capacity(130_000));
        // 25k, 50k, 100k pass; 200k fails; then (100k+200k)/2 = 150k fails, (100k+150k)/2 = 125k passes.
        assertEquals(List.of(25_000.0, 50_000.0, 100_000.0, 200_000.0, 150_000.0, 125_000.0), tried);
        assertEquals(125_000, search.highestPass());
        assertTrue(search.isDone());
    }

    @Test
    void stopsAtTheCeilingWhenNothingFails() {
        RateSearch search = new RateSearch(25_000, 60_000, 0.01, 3);
        List<Double> tried = run(search, capacity(1e9));
        assertEquals(List.of(25_000.0, 50_000.0, 60_000.0), tried);
        assertEquals(60_000, search.highestPass());
    }

    @Test
    void stopsDoublingWhenTheSenderFallsShort() {
        RateSearch search = new RateSearch(25_000, 400_000, 0.01, 3);
        search.record(25_000, 0);
        search.record(50_000, 0);
        // Offered 100k, the sender reached 80k without loss: offering more would measure the sender.
        search.record(80_000, 0);
        assertTrue(search.next().isEmpty());
        assertEquals(80_000, search.highestPass());
    }

    @Test
    void halvesWhenEvenTheFirstRateFails() {
        RateSearch search = new RateSearch(100_000, 400_000, 0.01, 2);
        List<Double> tried = run(search, capacity(30_000));
        // Halve to a pass, then bisect between it and the lowest failure.
        assertEquals(List.of(100_000.0, 50_000.0, 25_000.0, 37_500.0, 31_250.0), tried);
        assertEquals(25_000, search.highestPass());
    }

    @Test
    void nothingPassesGivesNaN() {
        RateSearch search = new RateSearch(100_000, 400_000, 0.01, 1);
        List<Double> tried = run(search, rate -> 0.5);
        assertEquals(List.of(100_000.0, 50_000.0, 25_000.0, 12_500.0, 6_250.0), tried);
        assertTrue(Double.isNaN(search.highestPass()));
    }

    @Test
    void lossAtTheLimitFailsAndJustBelowPasses() {
        RateSearch search = new RateSearch(10_000, 10_000, 0.01, 0);
        search.record(10_000, 0.01);
        assertTrue(Double.isNaN(search.highestPass()));
        assertEquals(5_000, search.next().getAsDouble());
        search.record(5_000, 0.0099);
        assertEquals(5_000, search.highestPass());
        assertFalse(search.next().isPresent(), "no bisections asked for");
        assertThrows(IllegalStateException.class, () -> search.record(10_000, 0));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(0, 10, 0.01, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 5, 0.01, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 20, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 20, 0.01, -1));
    }
}
