package dev.mcgate.tunnel;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tunnel end's counters, kept by both of its paths at once (the capture and receive threads, the loop) without a
 * lock: each is a {@link LongAdder}, so threads that count at the same time do not contend on one cache line.
 */
final class TunnelCounters {

    final LongAdder dataSent = new LongAdder();
    final LongAdder dataReceived = new LongAdder();
    final LongAdder controlSent = new LongAdder();
    final LongAdder controlReceived = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    private final LongAdder[] drops = new LongAdder[TunnelDrop.VALUES.length];

    TunnelCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    /** Counts a dropped message; returns -1, what {@code receive} answers for it. */
    int drop(TunnelDrop reason) {
        drops[reason.ordinal()].increment();
        return -1;
    }

    void add(TunnelDrop reason, long n) {
        drops[reason.ordinal()].add(n);
    }

    long drops(TunnelDrop reason) {
        return drops[reason.ordinal()].sum();
    }

    /** The drops by reason, zero counts left out. */
    Map<TunnelDrop, Long> dropsByReason() {
        Map<TunnelDrop, Long> out = new EnumMap<>(TunnelDrop.class);
        for (TunnelDrop reason : TunnelDrop.VALUES) {
            long n = drops[reason.ordinal()].sum();
            if (n != 0) {
                out.put(reason, n);
            }
        }
        return out;
    }
}
