package dev.mcgate.forward;

/**
 * The decision for one (arrival interface, source, group): the egress interfaces a packet goes to, or why none.
 * Mutable and reused (one per flow) so that deciding allocates nothing; written only by the capture thread that owns it.
 */
final class Route {

    /** Null when the packet is accepted (it may still have no egress: then {@link #drop} is NOT_WANTED). */
    DropReason drop;

    int egressCount;
    int[] egress;
    /** Egress interfaces that wanted the packet but may not get it (a filter, a boundary, not querier), and why. */
    int skippedCount;

    int[] skipped;
    DropReason[] skippedReason;
    /** The table this decision was made against; a new table makes it stale. */
    Object madeFor;

    Route(int capacity) {
        egress = new int[capacity];
        skipped = new int[capacity];
        skippedReason = new DropReason[capacity];
    }

    void reset(int capacity) {
        if (egress.length < capacity) {
            egress = new int[capacity];
            skipped = new int[capacity];
            skippedReason = new DropReason[capacity];
        }
        drop = null;
        egressCount = 0;
        skippedCount = 0;
        madeFor = null;
    }

    void addEgress(int index) {
        egress[egressCount++] = index;
    }

    void skip(int index, DropReason reason) {
        skipped[skippedCount] = index;
        skippedReason[skippedCount++] = reason;
    }
}
