package dev.mcgate.daemon;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpPacket;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import java.util.Optional;

/**
 * The checks every IGMP message heard passes before either side (router or upstream host) sees it, from RFC 9776
 * §4, §4.1.12, §4.2.14 and §9: the same on both sides, so that a forged query can neither win the querier election on
 * a downstream nor push the host side on the upstream into an older version.
 */
final class IgmpInputRules {

    private IgmpInputRules() {}

    /** The first rule the frame breaks, or empty if it may be processed. */
    static Optional<IgmpInputCounter> broken(IgmpFrame frame, LinkScope scope) {
        if (frame.ethernet().isPresent() && frame.ethernet().get().isTagged()) {
            // A tagged frame on an interface we open untagged belongs to a VLAN on top of it, another LAN.
            return Optional.of(IgmpInputCounter.VLAN_TAGGED);
        }
        IgmpPacket packet = frame.packet();
        IgmpMessage message = packet.message();
        // RFC 9776 §4: "sent with an IP Time-to-Live of 1": anything else was routed here or forged.
        if (packet.header().ttl() != 1) {
            return Optional.of(IgmpInputCounter.TTL_NOT_1);
        }
        // §9.1: v3 queries and reports without Router Alert SHOULD be ignored. v1 hosts predate the option and v2
        // senders may omit it, so it is only required of v3.
        if ((message instanceof V3Query || message instanceof V3MembershipReport)
                && !packet.header().hasRouterAlert()) {
            return Optional.of(IgmpInputCounter.NO_ROUTER_ALERT);
        }
        if (!destinationAllowed(packet.destination(), message, scope)) {
            return Optional.of(IgmpInputCounter.BAD_DESTINATION);
        }
        Ip4 source = packet.source();
        if (source.equals(Ip4.ANY) || !scope.checksSources()) {
            // §4.2.13 / §9.2: reports from 0.0.0.0 are valid; a query from it never wins an election (the router
            // counts it) and is a snooping switch's, which hosts answer.
            return Optional.empty();
        }
        if (message instanceof MembershipQuery) {
            // §9.1: a query must come from a router on this LAN; an altnet holds sources, never routers.
            return scope.onSubnet(source) ? Optional.empty() : Optional.of(IgmpInputCounter.QUERY_OFF_SUBNET);
        }
        // §9.2: reports from off the subnet are ignored; altnets hold hosts we serve too.
        return scope.onSubnetOrAltnet(source) ? Optional.empty() : Optional.of(IgmpInputCounter.REPORT_OFF_SUBNET);
    }

    /**
     * §4.1.12 / §4.2.14: queries go to 224.0.0.1 or their group, v3 reports to 224.0.0.22, v1/v2 reports to their
     * group, leaves to 224.0.0.2 (some hosts send them to the group). A message sent to one of our own addresses is
     * accepted as the RFC asks, except a general query: §9.1 has hosts ignore those, as the way a forged query reaches
     * a single host.
     */
    private static boolean destinationAllowed(Ip4 destination, IgmpMessage message, LinkScope scope) {
        if (destination.equals(Ip4.ALL_SYSTEMS)
                || destination.equals(Ip4.ALL_ROUTERS)
                || destination.equals(Ip4.ALL_IGMPV3_ROUTERS)) {
            return true;
        }
        Ip4 group = groupOf(message);
        if (destination.isMulticast()) {
            return destination.equals(group);
        }
        return scope.isOwn(destination) && !(message instanceof MembershipQuery q && q.isGeneral());
    }

    /** The group a message is about, or 0.0.0.0 (a v3 report names its groups in its records). */
    private static Ip4 groupOf(IgmpMessage message) {
        if (message instanceof MembershipQuery q) {
            return q.group();
        } else if (message instanceof V1MembershipReport r) {
            return r.group();
        } else if (message instanceof V2MembershipReport r) {
            return r.group();
        } else if (message instanceof LeaveGroup l) {
            return l.group();
        }
        return Ip4.ANY;
    }
}
