package dev.mcgate.forward;

import java.util.Map;

/**
 * A snapshot of one interface's data-plane counters, for status.
 *
 * @param name                the interface
 * @param received            frames handed to the forwarder from this interface
 * @param receivedBytes       their captured octets
 * @param forwarded           arrived packets of which at least one copy was sent
 * @param udpChecksumWrong    sampled datagrams that arrived here with a wrong UDP checksum
 * @param udpChecksumRepaired datagrams whose UDP checksum was recomputed here
 * @param dropped             arrived packets not forwarded, by reason (only reasons with a count)
 * @param sent                copies sent out of this interface
 * @param sentBytes           their IP octets
 * @param notSent             copies meant for this interface but not sent, by reason
 */
public record InterfaceCounters(
        String name,
        long received,
        long receivedBytes,
        long forwarded,
        long udpChecksumWrong,
        long udpChecksumRepaired,
        Map<DropReason, Long> dropped,
        long sent,
        long sentBytes,
        Map<DropReason, Long> notSent) {

    public InterfaceCounters {
        dropped = Map.copyOf(dropped);
        notSent = Map.copyOf(notSent);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    public long notSent(DropReason reason) {
        return notSent.getOrDefault(reason, 0L);
    }
}
