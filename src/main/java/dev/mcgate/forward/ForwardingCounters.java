package dev.mcgate.forward;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.net.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of the data plane's counters: per interface, per flow, and the few that belong to neither.
 *
 * @param tableGeneration the generation of the table in use
 * @param interfaces      per interface, in table order, then interfaces that left the table
 * @param flows           per flow currently tracked (flows evicted from a full flow table are gone)
 * @param unknownArrival  frames from a port that was not attached to the forwarder
 * @param flowsEvicted    flows replaced in a full flow table
 */
public record ForwardingCounters(
        long tableGeneration,
        List<InterfaceCounters> interfaces,
        List<FlowCounters> flows,
        long unknownArrival,
        long flowsEvicted) {

    public ForwardingCounters {
        interfaces = List.copyOf(interfaces);
        flows = List.copyOf(flows);
    }

    /**
     * Every counter under {@link ForwardingCounter}: per interface, its figures and every drop reason that can occur
     * in each direction (zeros included); flows are left to {@code routes}, which bounds them.
     */
    public void recordInto(CounterRecorder out) {
        for (InterfaceCounters i : interfaces) {
            String name = i.name();
            out.record(ForwardingCounter.RECEIVED, i.received(), name);
            out.record(ForwardingCounter.RECEIVED_BYTES, i.receivedBytes(), name);
            out.record(ForwardingCounter.FORWARDED, i.forwarded(), name);
            out.record(ForwardingCounter.SENT, i.sent(), name);
            out.record(ForwardingCounter.SENT_BYTES, i.sentBytes(), name);
            out.record(ForwardingCounter.UDP_CHECKSUM_WRONG, i.udpChecksumWrong(), name);
            out.record(ForwardingCounter.UDP_CHECKSUM_REPAIRED, i.udpChecksumRepaired(), name);
            for (DropReason reason : DropReason.VALUES) {
                if (reason.onArrival() || i.dropped(reason) > 0) {
                    out.record(ForwardingCounter.DROPS, i.dropped(reason), name, "in", reason.keyword());
                }
            }
            for (DropReason reason : DropReason.VALUES) {
                if (reason.onEgress() || i.notSent(reason) > 0) {
                    out.record(ForwardingCounter.DROPS, i.notSent(reason), name, "out", reason.keyword());
                }
            }
        }
        out.record(ForwardingCounter.UNKNOWN_ARRIVAL, unknownArrival);
        out.record(ForwardingCounter.FLOWS_EVICTED, flowsEvicted);
    }

    public Optional<InterfaceCounters> interfaceNamed(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<FlowCounters> flow(String arrival, IpAddress source, IpAddress group) {
        return flows.stream()
                .filter(f -> f.arrival().equals(arrival)
                        && f.source().equals(source)
                        && f.group().equals(group))
                .findFirst();
    }
}
