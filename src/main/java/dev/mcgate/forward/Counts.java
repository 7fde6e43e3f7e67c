package dev.mcgate.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single-writer counters in plain long arrays: the owning capture thread adds with opaque writes (no fence, no lock,
 * no contention), any thread reads with opaque reads for a snapshot. Cheaper than LongAdder where one thread writes.
 */
final class Counts {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private Counts() {}

    /** Only the array's single writer may call this. */
    static void add(long[] counts, int index, long delta) {
        LONGS.setOpaque(counts, index, (long) LONGS.getOpaque(counts, index) + delta);
    }

    static long get(long[] counts, int index) {
        return (long) LONGS.getOpaque(counts, index);
    }
}
