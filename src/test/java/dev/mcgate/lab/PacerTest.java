package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {

    /** A clock that moves only when the test says so; starts away from zero so offsets matter. */
    private static final class FakeClock {
        long now = 5_000_000_000L;

        void advance(long nanos) {
            now += nanos;
        }
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void sendsOneAtStartThenOnePerPeriod() {
        Pacer pacer = new Pacer(1000, () -> clock.now);
        pacer.start();
        assertEquals(1, pacer.acquire(64));
        assertEquals(0, pacer.acquire(64));
        assertEquals(1_000_000, pacer.nanosUntilNext());
        clock.advance(999_999);
        assertEquals(0, pacer.acquire(64));
        assertEquals(1, pacer.nanosUntilNext());
        clock.advance(1);
        assertEquals(1, pacer.acquire(64));
        assertEquals(0, pacer.acquire(64));
        assertEquals(2, pacer.issued());
    }

    @Test
    void whenBehindHandsOutTheMissedDatagramsAsOneBurst() {
        Pacer pacer = new Pacer(1000, () -> clock.now);
        pacer.start();
        assertEquals(1, pacer.acquire(64));
        clock.advance(10_500_000); // overslept: datagrams 1..10 became due at 1..10 ms
        assertEquals(10, pacer.acquire(64));
        assertEquals(500_000, pacer.nanosUntilNext());
    }

    @Test
    void burstIsCappedButTheScheduleIsKept() {
        Pacer pacer = new Pacer(1_000_000, () -> clock.now);
        pacer.start();
        clock.advance(1_000_000); // 1001 due (0 .. 1000 µs)
        assertEquals(64, pacer.acquire(64));
        assertEquals(0, pacer.nanosUntilNext());
        long total = 64;
        int calls = 1;
        int n;
        while ((n = pacer.acquire(64)) > 0) {
            total += n;
            calls++;
        }
        assertEquals(1001, total);
        assertEquals(16, calls); // ceil(1001 / 64)
    }

    @Test
    void nonIntegerPeriodsRoundUpToTheNextNanosecond() {
        Pacer pacer = new Pacer(3, () -> clock.now); // due at 0, 333333334, 666666667, 1000000000
        pacer.start();
        assertEquals(1, pacer.acquire(10));
        clock.advance(333_333_333);
        assertEquals(0, pacer.acquire(10));
        assertEquals(1, pacer.nanosUntilNext());
        clock.advance(1);
        assertEquals(1, pacer.acquire(10));
        clock.advance(666_666_666); // t = 1 s exactly: datagrams 2 and 3
        assertEquals(2, pacer.acquire(10));
        assertEquals(333_333_334, pacer.nanosUntilNext());
    }

    @Test
    void fractionalRateSendsLessThanOncePerSecond() {
        Pacer pacer = new Pacer(0.5, () -> clock.now);
        pacer.start();
        assertEquals(1, pacer.acquire(1));
        assertEquals(2_000_000_000L, pacer.nanosUntilNext());
        clock.advance(1_999_999_999L);
        assertEquals(0, pacer.acquire(1));
        clock.advance(1);
        assertEquals(1, pacer.acquire(1));
    }

    @Test
    void rateZeroMeansNoPacing() {
        Pacer pacer = new Pacer(0, () -> clock.now);
        pacer.start();
        assertEquals(64, pacer.acquire(64));
        assertEquals(64, pacer.acquire(64));
        assertEquals(0, pacer.nanosUntilNext());
        assertEquals(128, pacer.issued());
    }

    @Test
    void sleeperThatOvershootsStillHoldsTheAverageRate() {
        // 100 k/s with a sleep that always wakes 55 µs late, as parkNanos does: the pacer must send bursts and
        // end the simulated second within one burst of the schedule (100 001 due at t = 1 s).
        Pacer pacer = new Pacer(100_000, () -> clock.now);
        pacer.start();
        long start = clock.now;
        int largestBurst = 0;
        while (clock.now - start < 1_000_000_000L) {
            int n = pacer.acquire(64);
            if (n == 0) {
                clock.advance(pacer.nanosUntilNext() + 55_000);
            } else {
                largestBurst = Math.max(largestBurst, n);
                clock.advance(n * 200L); // each send costs 200 ns
            }
        }
        assertTrue(pacer.issued() >= 100_001 - 64 && pacer.issued() <= 100_001 + 6, "issued " + pacer.issued());
        assertTrue(largestBurst > 1, "bursts when behind");
        assertTrue(largestBurst <= 64);
    }

    @Test
    void badRatesAndMissingStartAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(-1, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.NaN, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.POSITIVE_INFINITY, () -> 0));
        assertThrows(IllegalStateException.class, () -> new Pacer(10, () -> 0).acquire(1));
    }
}
