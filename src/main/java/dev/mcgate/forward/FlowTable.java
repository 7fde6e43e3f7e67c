package dev.mcgate.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The flows of one arrival interface: a bounded open-addressing table keyed by (source, group) of either family (IPv4
 * by the two ints, IPv6 by the four 64-bit halves, in the same slots), written only by that
 * interface's capture thread. When a key's probe window is full, the flow seen least recently there is replaced (and
 * counted as evicted), so the table never grows and a flood of new flows cannot exhaust memory.
 */
final class FlowTable {

    /** How far a key may land from its home slot; also how many flows an eviction chooses among. */
    private static final int PROBE_WINDOW = 8;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Flow[].class);

    private final Flow[] slots;
    private final int mask;
    private final int checksumSamples;
    private long evicted;

    FlowTable(int capacity, int checksumSamples) {
        int size = Integer.highestOneBit(Math.max(PROBE_WINDOW, capacity - 1)) << 1;
        this.slots = new Flow[size];
        this.mask = size - 1;
        this.checksumSamples = checksumSamples;
    }

    /** The flow of (source, group), created if new. Allocates only for a new flow. */
    Flow lookup(int source, int group, long now, int routeCapacity) {
        int home = hash(source, group);
        int victim = -1;
        long victimAge = -1;
        for (int i = 0; i < PROBE_WINDOW; i++) {
            int slot = (home + i) & mask;
            Flow flow = slots[slot];
            if (flow == null) {
                return insert(slot, source, group, now, routeCapacity);
            }
            if (flow.source == source && flow.group == group) {
                return flow;
            }
            long age = now - flow.lastSeen();
            if (age > victimAge) {
                victim = slot;
                victimAge = age;
            }
        }
        evicted++;
        return insert(victim, source, group, now, routeCapacity);
    }

    /** The IPv6 flow of (source, group), created if new. Allocates only for a new flow. */
    Flow lookup(long sourceHigh, long sourceLow, long groupHigh, long groupLow, long now, int routeCapacity) {
        int home = hash(sourceHigh ^ sourceLow, groupHigh ^ groupLow);
        int victim = -1;
        long victimAge = -1;
        for (int i = 0; i < PROBE_WINDOW; i++) {
            int slot = (home + i) & mask;
            Flow flow = slots[slot];
            if (flow == null) {
                return insert(slot, new Flow(sourceHigh, sourceLow, groupHigh, groupLow, now, routeCapacity));
            }
            // An IPv4 flow's halves are 0, and no IPv6 group's high half is.
            if (flow.groupLow == groupLow
                    && flow.sourceLow == sourceLow
                    && flow.groupHigh == groupHigh
                    && flow.sourceHigh == sourceHigh) {
                return flow;
            }
            long age = now - flow.lastSeen();
            if (age > victimAge) {
                victim = slot;
                victimAge = age;
            }
        }
        evicted++;
        return insert(victim, new Flow(sourceHigh, sourceLow, groupHigh, groupLow, now, routeCapacity));
    }

    private Flow insert(int slot, int source, int group, long now, int routeCapacity) {
        return insert(slot, new Flow(source, group, now, routeCapacity, checksumSamples));
    }

    private Flow insert(int slot, Flow flow) {
        // Release: a snapshot thread that sees the reference sees a fully built flow.
        SLOTS.setRelease(slots, slot, flow);
        return flow;
    }

    long evicted() {
        return evicted;
    }

    /** The flows present now, for a snapshot from any thread. */
    List<Flow> flows() {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            Flow flow = (Flow) SLOTS.getAcquire(slots, i);
            if (flow != null) {
                flows.add(flow);
            }
        }
        return flows;
    }

    private int hash(int source, int group) {
        long h = ((long) source << 32 | (group & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int hash(long source, long group) {
        long h = (source ^ Long.rotateLeft(group, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
