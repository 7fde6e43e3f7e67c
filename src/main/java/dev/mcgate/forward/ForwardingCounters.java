package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
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
public record ForwardingCounters(long tableGeneration, List<InterfaceCounters> interfaces, List<FlowCounters> flows,
        long unknownArrival, long flowsEvicted) {

    public ForwardingCounters {
        interfaces = List.copyOf(interfaces);
        flows = List.copyOf(flows);
    }

    public Optional<InterfaceCounters> interfaceNamed(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<FlowCounters> flow(String arrival, Ip4 source, Ip4 group) {
        return flows.stream().filter(f -> f.arrival().equals(arrival) && f.source().equals(source)
                && f.group().equals(group)).findFirst();
    }
}
