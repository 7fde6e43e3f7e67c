package dev.mcgate.io;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A port's own counts, one slot per {@link PortCounter}: lock-free and allocation-free to add to from the capture
 * thread and the threads that send, readable from any thread.
 */
public final class PortTally {

    private final AtomicLongArray counts = new AtomicLongArray(PortCounter.values().length);

    public void add(PortCounter counter, long delta) {
        counts.addAndGet(counter.ordinal(), delta);
    }

    /** Adds one; returns the count before (the first failure of a kind is the one logged). */
    public long increment(PortCounter counter) {
        return counts.getAndIncrement(counter.ordinal());
    }

    public long get(PortCounter counter) {
        return counts.get(counter.ordinal());
    }
}
