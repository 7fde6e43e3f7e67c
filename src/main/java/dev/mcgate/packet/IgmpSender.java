package dev.mcgate.packet;

/**
 * Where a protocol engine hands the IGMP messages it wants sent on its interface.
 *
 * <p>The engine says what to send; the daemon's implementation says how: it builds the IPv4 packet from the
 * interface's address (TTL 1, TOS 0xc0, Router Alert), frames it for the link and sends it, counting failures. This
 * keeps byte work and I/O out of the state machines.
 */
@FunctionalInterface
public interface IgmpSender {
    void send(IgmpMessage message);
}
