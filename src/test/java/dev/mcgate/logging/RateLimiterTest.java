package dev.mcgate.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a hand-moved clock: a burst, then one per interval, and the count of what was held back. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void aBurstGoesThroughThenEventsAreSuppressedAndCounted() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofSeconds(10), now::get);
        assertEquals(0, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        for (int i = 0; i < 100; i++) {
            assertEquals(-1, limiter.tryAcquire());
        }
        advanceMillis(9_999);
        assertEquals(-1, limiter.tryAcquire(), "one token needs a full interval");
        advanceMillis(1);
        assertEquals(101, limiter.tryAcquire(), "the next line says how many were held back");
        assertEquals(-1, limiter.tryAcquire());
        advanceMillis(10_000);
        assertEquals(1, limiter.tryAcquire(), "the count restarts after each line that got through");
    }

    @Test
    void aQuietPeriodRefillsTheBurstButNoMore() {
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(1), now::get);
        limiter.tryAcquire();
        limiter.tryAcquire();
        assertEquals(-1, limiter.tryAcquire());
        advanceMillis(3_600_000);
        assertEquals(1, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        assertEquals(-1, limiter.tryAcquire(), "an hour of silence is worth the burst, not 3600 lines");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, Duration.ofSeconds(1), now::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, Duration.ZERO, now::get));
    }
}
