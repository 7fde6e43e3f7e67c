package dev.mcgate.forward;

import dev.mcgate.counters.Counter;
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

    private final String metric;
    private final String help;
    private final List<String> labels;

    ForwardingCounter(String metric, String help, List<String> labels) {
        this.metric = metric;
        this.help = help;
        this.labels = labels;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public List<String> labelNames() {
        return labels;
    }
}
