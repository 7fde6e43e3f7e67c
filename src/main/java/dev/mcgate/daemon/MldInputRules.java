package dev.mcgate.daemon;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastListenerQuery;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The checks every MLD message heard passes before either side (router or upstream host) sees it: MLD is sent from a
 * link-local address with hop limit 1 and Router Alert (RFC 9777 §5, RFC 2710 §3), so anything else was routed here or
 * forged; a report from :: comes from a host still checking its address and names no listener (RFC 9777 §5.2.13).
 */
final class MldInputRules {

    private MldInputRules() {}

    /**
     * The first rule the frame breaks, or empty if it may be processed.
     *
     * @param isOwn whether an address is one of this interface's
     */
    static Optional<MldInputCounter> broken(MldFrame frame, Predicate<Ip6> isOwn) {
        if (frame.ethernet().isPresent() && frame.ethernet().get().isTagged()) {
            return Optional.of(MldInputCounter.VLAN_TAGGED);
        }
        MldPacket packet = frame.packet();
        MldMessage message = packet.message();
        if (packet.header().hopLimit() != 1) {
            return Optional.of(MldInputCounter.HOP_LIMIT_NOT_1);
        }
        if (!packet.hasRouterAlert()) {
            return Optional.of(MldInputCounter.NO_ROUTER_ALERT);
        }
        Ip6 source = packet.source();
        if (source.isUnspecified()) {
            // A query from :: is a snooping switch's: the router counts it and never lets it win an election.
            if (!(message instanceof MulticastListenerQuery)) {
                return Optional.of(MldInputCounter.REPORT_FROM_UNSPECIFIED);
            }
        } else if (!source.isLinkLocalUnicast()) {
            return Optional.of(MldInputCounter.SOURCE_NOT_LINK_LOCAL);
        }
        if (!destinationAllowed(packet.destination(), message, isOwn)) {
            return Optional.of(MldInputCounter.BAD_DESTINATION);
        }
        return Optional.empty();
    }

    /**
     * RFC 9777 §5.1.15, §5.2.14, RFC 2710 §5: queries go to ff02::1 or their address, MLDv2 reports to ff02::16, MLDv1
     * reports to their address, Dones to ff02::2 (some hosts send them to the address). A query sent to one of our own
     * addresses is accepted as §5.1.15 asks, except a general one: that is how a forged query reaches a single host
     * (the IGMP rules do the same, RFC 9776 §9.1). Reports to a unicast address are not: no host sends them so.
     */
    private static boolean destinationAllowed(Ip6 destination, MldMessage message, Predicate<Ip6> isOwn) {
        if (message instanceof MulticastListenerQuery q) {
            return destination.equals(Ip6.ALL_NODES)
                    || !q.isGeneral() && (destination.equals(q.multicastAddress()) || isOwn.test(destination));
        } else if (message instanceof MldV2Report) {
            return destination.equals(Ip6.ALL_MLDV2_ROUTERS);
        } else if (message instanceof MldV1Report r) {
            return destination.equals(r.multicastAddress());
        } else if (message instanceof MldDone d) {
            return destination.equals(Ip6.ALL_ROUTERS) || destination.equals(d.multicastAddress());
        }
        return false;
    }
}
