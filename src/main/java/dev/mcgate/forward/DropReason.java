package dev.mcgate.forward;

/**
 * Why a packet was not forwarded, or why one egress interface got no copy of it; every drop is counted under one.
 *
 * <p>The first group ends a packet on its arrival interface; the filters, the boundary and the querier rule also skip
 * single egress interfaces, and the last four only ever skip one egress copy.
 */
public enum DropReason {
    /** Not an IPv4 packet (EtherType, version, or fewer than 20 octets captured). */
    NOT_IPV4,
    /** An 802.1Q-tagged frame on this port belongs to the VLAN interface, which has a port of its own. */
    VLAN_TAGGED,
    /** The Ethernet source is one of our own interfaces: a frame we injected, come back through a bridge or loop. */
    OWN_FRAME,
    /** Bad IHL, total length beyond the captured octets, or a header checksum that does not verify. */
    BAD_IP_HEADER,
    /** The destination is not in 224.0.0.0/4. */
    NOT_MULTICAST,
    /** 224.0.0.0/24 is link-local control traffic and never forwarded (RFC 5771 §4). */
    LINK_LOCAL_GROUP,
    /** IGMP is control traffic for the router side, never data to forward. */
    IGMP,
    /** A fragment whose offset and length reach past 65535, or a non-last fragment not a multiple of 8 octets. */
    BAD_FRAGMENT,
    /** TTL 0 or 1: it would expire here (RFC 1812 §5.3.1). */
    TTL_EXPIRED,
    /** The arrival interface is not an upstream or downstream in the table. */
    NOT_FORWARDING_INTERFACE,
    /** The group is not allowed through the interface (its group filter). */
    GROUP_FILTERED,
    /** The source is not allowed through the interface (its source filter). */
    SOURCE_FILTERED,
    /** The group is inside an administrative scope boundary of the interface (RFC 2365 §6). */
    SCOPE_BOUNDARY,
    /** Arrived on an interface that is not the one towards the source (RFC 4605 §4.2 and DESIGN's RPF rule). */
    RPF_FAILED,
    /** Arrived on a downstream where another router is querier, so that router forwards for this LAN (RFC 4605 §4.2). */
    NOT_QUERIER,
    /** Accepted, but no interface wants the group from this source. */
    NOT_WANTED,
    /** The same datagram was seen a moment ago (a bridged or parallel path delivered it twice). */
    DUPLICATE,
    /** This copy's TTL is not above the egress interface's TTL threshold. */
    BELOW_TTL_THRESHOLD,
    /** Larger than the egress MTU; multicast is never fragmented here and gets no ICMP error (RFC 1812 §4.3.2.7). */
    MTU_EXCEEDED,
    /** The egress interface is in the table but has no open port (not present yet, or gone). */
    EGRESS_NOT_OPEN,
    /** The port refused the frame (interface down or gone). */
    SEND_FAILED,
    /**
     * The kernel forwards this flow (the nft engine's rules at the arrival interface's ingress hook); the copy the
     * capture also got is not forwarded a second time.
     */
    OFFLOADED;

    static final DropReason[] VALUES = values();

    private static final java.util.Set<DropReason> EGRESS = java.util.EnumSet.of(
            GROUP_FILTERED,
            SOURCE_FILTERED,
            SCOPE_BOUNDARY,
            NOT_QUERIER,
            BELOW_TTL_THRESHOLD,
            MTU_EXCEEDED,
            EGRESS_NOT_OPEN,
            SEND_FAILED);

    /** Whether it can end a packet on its arrival interface (counted as direction {@code in}). */
    public boolean onArrival() {
        return this != BELOW_TTL_THRESHOLD && this != MTU_EXCEEDED && this != EGRESS_NOT_OPEN && this != SEND_FAILED;
    }

    /** Whether it can keep one copy from an egress interface (counted as direction {@code out}). */
    public boolean onEgress() {
        return EGRESS.contains(this);
    }

    /** The reason as counters and metrics show it: lower case with dashes ({@code rpf-failed}). */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
