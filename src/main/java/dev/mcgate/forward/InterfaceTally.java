package dev.mcgate.forward;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one interface, kept by name across reopenings: what arrived (written only by the interface's
 * own capture thread, so plain single-writer counts) and what left (written by every capture thread that forwards to
 * it, so LongAdders).
 */
final class InterfaceTally {

    static final int RECEIVED = 0;
    static final int RECEIVED_BYTES = 1;
    static final int FORWARDED = 2;
    static final int UDP_CHECKSUM_WRONG = 3;
    static final int UDP_CHECKSUM_REPAIRED = 4;
    static final int DROPS = 5;

    final String name;
    final long[] arrivals = new long[DROPS + DropReason.VALUES.length];
    final LongAdder sent = new LongAdder();
    final LongAdder sentBytes = new LongAdder();
    final LongAdder[] notSent = new LongAdder[DropReason.VALUES.length];
    /** Set once the operator was told about wrong UDP checksums arriving here (told once per interface). */
    volatile boolean checksumWarned;
    /** Set once the operator was told that datagrams too large for this interface's MTU are not sent out of it. */
    final java.util.concurrent.atomic.AtomicBoolean mtuWarned = new java.util.concurrent.atomic.AtomicBoolean();

    InterfaceTally(String name) {
        this.name = name;
        for (int i = 0; i < notSent.length; i++) {
            notSent[i] = new LongAdder();
        }
    }

    /** Only this interface's capture thread may call this. */
    void dropArrival(DropReason reason) {
        Counts.add(arrivals, DROPS + reason.ordinal(), 1);
    }

    void skipEgress(DropReason reason) {
        notSent[reason.ordinal()].increment();
    }

    /** Frames counted as sent when queued that the port then failed to send. */
    void sendFailedAfterQueueing(int frames) {
        sent.add(-frames);
        notSent[DropReason.SEND_FAILED.ordinal()].add(frames);
    }

    InterfaceCounters snapshot() {
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        Map<DropReason, Long> skipped = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.VALUES) {
            long in = Counts.get(arrivals, DROPS + reason.ordinal());
            if (in != 0) {
                dropped.put(reason, in);
            }
            long out = notSent[reason.ordinal()].sum();
            if (out != 0) {
                skipped.put(reason, out);
            }
        }
        return new InterfaceCounters(
                name,
                Counts.get(arrivals, RECEIVED),
                Counts.get(arrivals, RECEIVED_BYTES),
                Counts.get(arrivals, FORWARDED),
                Counts.get(arrivals, UDP_CHECKSUM_WRONG),
                Counts.get(arrivals, UDP_CHECKSUM_REPAIRED),
                dropped,
                sent.sum(),
                sentBytes.sum(),
                skipped);
    }
}
