package dev.mcgate.logging;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket for log lines that could otherwise come once per packet: up to {@code burst} lines at once, then one
 * per {@code interval}; the events refused in between are counted, and the next line that gets through says how many.
 *
 * <p>Time is injected (a monotonic nanosecond clock), so it is tested without sleeping. Thread-safe; meant for the
 * exceptional path (a drop being logged), not for every packet.
 */
public final class RateLimiter {

    private final int burst;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;
    private long suppressed;

    public RateLimiter(int burst, Duration interval, LongSupplier nanoClock) {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("burst must be >= 1 and interval > 0");
        }
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /**
     * Takes a token if there is one.
     *
     * @return -1 if the event must not be logged (it is counted as suppressed); otherwise how many events were
     *         suppressed since the last one that was let through (0 usually)
     */
    public synchronized long tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
        last = now;
        if (tokens < 1) {
            suppressed++;
            return -1;
        }
        tokens -= 1;
        long s = suppressed;
        suppressed = 0;
        return s;
    }
}
