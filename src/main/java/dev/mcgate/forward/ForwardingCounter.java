package dev.mcgate.forward;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** The forwarder's counters: per interface, its drops by direction and reason, and the few that belong to none. */
public enum ForwardingCounter implements Counter {
    RECEIVED("forwarding_received", "Frames handed to the forwarder from the interface", Labels.INTERFACE),
    RECEIVED_BYTES("forwarding_received_bytes", "Captured octets of those frames", Labels.INTERFACE),
    FORWARDED("forwarding_forwarded", "Arrived packets of which at least one copy was sent", Labels.INTERFACE),
    SENT("forwarding_sent", "Copies sent out of the interface", Labels.INTERFACE),
    SENT_BYTES("forwarding_sent_bytes", "IP octets of those copies", Labels.INTERFACE),
    UDP_CHECKSUM_WRONG(
            "udp_checksum_wrong", "Sampled datagrams that arrived with a wrong UDP checksum", Labels.INTERFACE),
    UDP_CHECKSUM_REPAIRED(
            "udp_checksum_repaired", "Datagrams whose UDP checksum was recomputed on arrival", Labels.INTERFACE),
    DROPS("drops", "Packets not forwarded (direction in) and copies not sent (out), by reason", Labels.DROPS),
    UNKNOWN_ARRIVAL("unknown_arrival_frames", "Frames from a port that was not attached to the forwarder", Labels.NONE),
    FLOWS_EVICTED("flows_evicted", "Flows replaced in a full flow table", Labels.NONE);

    /** The label sets; a nested class because enum constants cannot refer to the enum's own static fields. */
    private static final class Labels {
        static final List<String> NONE = List.of();
        static final List<String> INTERFACE = List.of("interface");
        static final List<String> DROPS = List.of("interface", "direction", "reason");
    }

    private final CounterSpec spec;

    ForwardingCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
