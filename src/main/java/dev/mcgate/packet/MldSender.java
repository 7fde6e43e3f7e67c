package dev.mcgate.packet;

/**
 * Where a protocol engine hands the MLD messages it wants sent on its interface: the daemon's implementation builds the
 * IPv6 packet from the interface's link-local address (hop limit 1, Hop-by-Hop Router Alert), frames it and sends it,
 * as {@link IgmpSender} does for IGMP.
 */
@FunctionalInterface
public interface MldSender {
    void send(MldMessage message);
}
