package dev.mcgate.forward;

import dev.mcgate.net.IpAddress;
import java.util.Map;

/**
 * A snapshot of one flow's counters: (source, group) of either family arriving on one interface.
 *
 * @param arrival             the arrival interface
 * @param source              the source address
 * @param group               the group
 * @param packets             packets that arrived (after the checks that need no flow: family, own frame, header)
 * @param bytes               their IP octets
 * @param forwarded           packets of which at least one copy was sent
 * @param copiesSent          copies sent, over every egress interface
 * @param udpChecksumWrong    sampled datagrams with a wrong UDP checksum
 * @param udpChecksumRepaired datagrams whose UDP checksum was recomputed
 * @param dropped             by reason: whole packets for arrival reasons, single copies for egress reasons
 * @param idleNanos           time since the last packet, on the forwarder's clock
 */
public record FlowCounters(
        String arrival,
        IpAddress source,
        IpAddress group,
        long packets,
        long bytes,
        long forwarded,
        long copiesSent,
        long udpChecksumWrong,
        long udpChecksumRepaired,
        Map<DropReason, Long> dropped,
        long idleNanos) {

    public FlowCounters {
        dropped = Map.copyOf(dropped);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }
}
