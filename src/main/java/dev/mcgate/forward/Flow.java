package dev.mcgate.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One (source, group) of either family arriving on one interface: its cached route, its counters and its UDP checksum sampling state.
 * Owned by the capture thread of its arrival interface; other threads only read the counters.
 */
final class Flow extends FlowKey {

    static final int PACKETS = 0;
    static final int BYTES = 1;
    static final int FORWARDED = 2;
    static final int COPIES = 3;
    static final int UDP_CHECKSUM_WRONG = 4;
    static final int UDP_CHECKSUM_REPAIRED = 5;
    static final int DROPS = 6;

    private static final VarHandle LAST_SEEN;

    static {
        try {
            LAST_SEEN = MethodHandles.lookup().findVarHandle(Flow.class, "lastSeen", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Route route;
    final long[] counts = new long[DROPS + DropReason.VALUES.length];
    /** How many more datagrams of this flow get their UDP checksum verified. */
    int checksumSamplesLeft;
    /** A sampled datagram had a wrong UDP checksum: the sender offloads checksums (or corrupts them). */
    boolean checksumWrong;

    @SuppressWarnings("unused") // through LAST_SEEN
    private long lastSeen;

    Flow(int source, int group, long now, int routeCapacity, int checksumSamples) {
        super(source, group);
        this.route = new Route(routeCapacity);
        this.checksumSamplesLeft = checksumSamples;
        this.lastSeen = now;
    }

    /** An IPv6 flow (UDP checksums are never sampled: see IngressPath). */
    Flow(long sourceHigh, long sourceLow, long groupHigh, long groupLow, long now, int routeCapacity) {
        super(sourceHigh, sourceLow, groupHigh, groupLow);
        this.route = new Route(routeCapacity);
        this.checksumSamplesLeft = 0;
        this.lastSeen = now;
    }

    void seen(long now, int bytes) {
        LAST_SEEN.setOpaque(this, now);
        Counts.add(counts, PACKETS, 1);
        Counts.add(counts, BYTES, bytes);
    }

    long lastSeen() {
        return (long) LAST_SEEN.getOpaque(this);
    }

    void drop(DropReason reason) {
        Counts.add(counts, DROPS + reason.ordinal(), 1);
    }
}
