package dev.mcgate.lab;

import java.util.function.LongSupplier;

/**
 * Decides how many datagrams a sender may send now to hold a given rate, from an injected nanosecond clock.
 *
 * <p>Datagram {@code k} (from 0) is due {@code ceil(k * 1e9 / rate)} ns after {@link #start()}. The pacer never
 * sleeps itself: it answers "how many are due" and "how long until the next one". A thread cannot sleep for a
 * few microseconds (parkNanos overshoots by ~50 µs on Linux), so at high rates the sender oversleeps, falls
 * behind the schedule and then sends the datagrams that became due as one burst. The average rate stays exact
 * and the system call count stays bounded. Rate 0 means no pacing.
 */
public final class Pacer {

    private final double periodNanos;
    private final LongSupplier nanoClock;
    private long startNanos;
    private long issued;
    private boolean started;

    /**
     * @param ratePerSecond datagrams per second, fractions allowed; 0 = as fast as possible
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public Pacer(double ratePerSecond, LongSupplier nanoClock) {
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, got " + ratePerSecond);
        }
        this.periodNanos = ratePerSecond == 0 ? 0 : 1e9 / ratePerSecond;
        this.nanoClock = nanoClock;
    }

    /** Starts the schedule now: datagram 0 is due at once. */
    public void start() {
        startNanos = nanoClock.getAsLong();
        issued = 0;
        started = true;
    }

    /**
     * Takes up to {@code maxBurst} datagrams that are due now and counts them as sent.
     *
     * @return how many to send now; 0 when the next one is not due yet (see {@link #nanosUntilNext()})
     */
    public int acquire(int maxBurst) {
        requireStarted();
        if (maxBurst <= 0) {
            return 0;
        }
        if (periodNanos == 0) {
            issued += maxBurst;
            return maxBurst;
        }
        long elapsed = nanoClock.getAsLong() - startNanos;
        long due = dueCount(elapsed) - issued;
        int granted = (int) Math.max(0, Math.min(due, maxBurst));
        issued += granted;
        return granted;
    }

    /** Nanoseconds until the next datagram is due; 0 when it is due already (or there is no pacing). */
    public long nanosUntilNext() {
        requireStarted();
        if (periodNanos == 0) {
            return 0;
        }
        long elapsed = nanoClock.getAsLong() - startNanos;
        return Math.max(0, dueAt(issued) - elapsed);
    }

    /** Datagrams handed out by {@link #acquire(int)} since {@link #start()}. */
    public long issued() {
        return issued;
    }

    /** When datagram {@code k} is due, in ns after start. */
    long dueAt(long k) {
        return (long) Math.ceil(k * periodNanos);
    }

    // How many datagrams are due at `elapsed`: one more than the largest k with dueAt(k) <= elapsed.
    // The division gives the answer up to rounding; the two loops make it agree exactly with dueAt().
    private long dueCount(long elapsed) {
        if (elapsed < 0) {
            return 0;
        }
        long k = (long) Math.floor(elapsed / periodNanos);
        while (dueAt(k + 1) <= elapsed) {
            k++;
        }
        while (k > 0 && dueAt(k) > elapsed) {
            k--;
        }
        return k + 1;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("Pacer.start() was not called");
        }
    }
}
