package dev.mcgate.forward;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: forwards the multicast data frames its ports capture, on their capture threads, by the
 * {@link ForwardingTable} the loop last published.
 *
 * <p>Wiring (the daemon): open each interface's port with a handler that passes data frames here (IGMP goes to the
 * loop), then {@link #attach} the port; {@link #detach} before closing it. The loop {@link #publish}es a new table
 * whenever membership, querier state or interfaces change. Every capture thread reads one volatile snapshot per frame;
 * there is no lock on the path and, once flows are known, no allocation.
 *
 * <p>The frame array handed to {@link #onFrame} is rewritten in place (TTL, MACs, a repaired UDP checksum) when its
 * layout fits the egress; IGMP is not this class's business (it drops and counts it), so the daemon's handler sends
 * IGMP frames to the loop and only the rest here.
 *
 * <p>Copies are queued on the egress ports and sent when the arrival port ends its batch ({@link #onBatchEnd}): one
 * send call per egress port and capture batch.
 *
 * <p>Threads: {@link #onFrame} and {@link #onBatchEnd} on the port's capture thread (one thread per port); {@link #publish}, {@link #attach},
 * {@link #detach} and {@link #counters} from any thread (they serialize among themselves).
 */
public final class Forwarder implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final LongSupplier nanoClock;
    private final ForwarderOptions options;
    private final DuplicateGuard duplicates;
    private final Consumer<String> operatorWarnings;
    private final LongAdder unknownArrival = new LongAdder();
    /** The egress ports each capture thread queued copies on since its last batch end. */
    private final ThreadLocal<TouchedPorts> touched = ThreadLocal.withInitial(TouchedPorts::new);
    /** Guarded by this: the inputs of the binding, and every interface's counters by name. */
    private final List<IngressPath> attached = new ArrayList<>();

    private final Map<String, InterfaceTally> tallies = new LinkedHashMap<>();
    private ForwardingTable table = ForwardingTable.EMPTY;
    private long evictedByDetachedPorts;
    private volatile PortBinding binding;

    /**
     * @param nanoClock a monotonic clock in nanoseconds (the daemon passes System::nanoTime; tests pass a hand clock)
     */
    public Forwarder(LongSupplier nanoClock) {
        this(nanoClock, ForwarderOptions.DEFAULTS);
    }

    public Forwarder(LongSupplier nanoClock, ForwarderOptions options) {
        this(nanoClock, options, LOG::warn);
    }

    /** With the operator warnings (said once per interface) going to {@code operatorWarnings} instead of the log. */
    Forwarder(LongSupplier nanoClock, ForwarderOptions options, Consumer<String> operatorWarnings) {
        this.operatorWarnings = Objects.requireNonNull(operatorWarnings, "operatorWarnings");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.options = Objects.requireNonNull(options, "options");
        this.duplicates = new DuplicateGuard(options.duplicateWindowNanos(), options.duplicateGuardSlots());
        rebind();
    }

    /** Makes {@code next} the table every following frame is forwarded by. */
    public synchronized void publish(ForwardingTable next) {
        table = Objects.requireNonNull(next, "table");
        rebind();
    }

    public synchronized ForwardingTable table() {
        return table;
    }

    /** Starts forwarding frames that arrive on {@code port}, and lets the table send out of it. */
    public synchronized void attach(InterfacePort port) {
        for (IngressPath path : attached) {
            if (path.port == port) {
                return;
            }
            if (path.name().equals(port.netInterface().name())) {
                throw new IllegalStateException(port.netInterface().name() + " is attached already; detach first");
            }
        }
        attached.add(new IngressPath(
                port, tally(port.netInterface().name()), nanoClock, duplicates, options, operatorWarnings));
        rebind();
    }

    /** Stops using {@code port}, in both directions; its interface's counters are kept. */
    public synchronized void detach(InterfacePort port) {
        for (int i = 0; i < attached.size(); i++) {
            if (attached.get(i).port == port) {
                evictedByDetachedPorts += attached.remove(i).flows.evicted();
                rebind();
                return;
            }
        }
    }

    @Override
    public void onFrame(InterfacePort port, byte[] frame, int length) {
        PortBinding current = binding;
        int slot = current.slotOf(port);
        if (slot < 0) {
            unknownArrival.increment();
            return;
        }
        current.paths[slot].process(current, slot, frame, length, touched.get());
    }

    /**
     * Sends the copies this thread queued since its last batch end, one flush per egress port. Kept per thread, not
     * per arrival path: a port detached (or a table republished) in the middle of a batch must not strand copies.
     */
    @Override
    public void onBatchEnd(InterfacePort port) {
        touched.get().flushAll();
    }

    /** A consistent-enough snapshot of every counter (each value is read once; they are not read atomically together). */
    public ForwardingCounters counters() {
        PortBinding current;
        List<InterfaceTally> allTallies;
        long evicted;
        synchronized (this) {
            current = binding;
            allTallies = List.copyOf(tallies.values());
            evicted = evictedByDetachedPorts;
        }
        long now = nanoClock.getAsLong();
        List<InterfaceCounters> interfaces = new ArrayList<>();
        for (InterfaceTally tally : allTallies) {
            interfaces.add(tally.snapshot());
        }
        List<FlowCounters> flows = new ArrayList<>();
        for (IngressPath path : current.paths) {
            evicted += path.flows.evicted();
            for (Flow flow : path.flows.flows()) {
                flows.add(snapshot(path.name(), flow, now));
            }
        }
        return new ForwardingCounters(current.table.generation(), interfaces, flows, unknownArrival.sum(), evicted);
    }

    private static FlowCounters snapshot(String arrival, Flow flow, long now) {
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.VALUES) {
            long count = Counts.get(flow.counts, Flow.DROPS + reason.ordinal());
            if (count != 0) {
                dropped.put(reason, count);
            }
        }
        return new FlowCounters(
                arrival,
                flow.sourceAddress(),
                flow.groupAddress(),
                Counts.get(flow.counts, Flow.PACKETS),
                Counts.get(flow.counts, Flow.BYTES),
                Counts.get(flow.counts, Flow.FORWARDED),
                Counts.get(flow.counts, Flow.COPIES),
                Counts.get(flow.counts, Flow.UDP_CHECKSUM_WRONG),
                Counts.get(flow.counts, Flow.UDP_CHECKSUM_REPAIRED),
                dropped,
                Math.max(0, now - flow.lastSeen()));
    }

    private InterfaceTally tally(String name) {
        return tallies.computeIfAbsent(name, InterfaceTally::new);
    }

    /** Caller holds the lock. Interfaces in the table come first in the counters, in table order. */
    private void rebind() {
        Map<String, InterfaceTally> ordered = new LinkedHashMap<>();
        for (ForwardingInterface fi : table.interfaces()) {
            ordered.put(fi.name(), tally(fi.name()));
        }
        ordered.putAll(tallies);
        tallies.clear();
        tallies.putAll(ordered);
        binding = new PortBinding(table, attached, tallies);
    }
}
