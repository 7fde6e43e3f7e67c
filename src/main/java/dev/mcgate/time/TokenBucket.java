package dev.mcgate.time;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket in whole tokens: {@code rate} a second, holding at most one second's worth. Thread-safe; cheap enough
 * for every IGMP frame (one uncontended lock, no allocation).
 */
public final class TokenBucket {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long rate;
    private final LongSupplier nanoClock;
    /** Tokens times {@link #SECOND}: refilling adds elapsed nanoseconds times the rate, exactly, with no rounding. */
    private long scaled;

    private long last;

    public TokenBucket(int rate, LongSupplier nanoClock) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate " + rate);
        }
        this.rate = rate;
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
        this.scaled = rate * SECOND;
    }

    public int rate() {
        return (int) rate;
    }

    /** Takes a token; false if there is none now. */
    public synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        long elapsed = Math.min(now - last, SECOND); // a full bucket after a second: no overflow after long idles
        last = now;
        if (elapsed > 0) {
            scaled = Math.min(rate * SECOND, scaled + elapsed * rate);
        }
        if (scaled < SECOND) {
            return false;
        }
        scaled -= SECOND;
        return true;
    }
}
