package dev.mcgate.forward;

/**
 * Why a packet was not forwarded, or why one egress interface got no copy of it; every drop is counted under one.
 *
 * <p>The first group ends a packet on its arrival interface; the filters, the boundary and the querier rule also skip
 * single egress interfaces, and the last four only ever skip one egress copy.
 */
public enum DropReason {
    /** Neither IPv4 nor IPv6 (EtherType, version, or fewer than 20 or 40 octets captured). */
    NOT_IP,
    /** An 802.1Q-tagged frame on this port belongs to the VLAN interface, which has a port of its own. */
    VLAN_TAGGED,
    /** The Ethernet source is one of our own interfaces: a frame we injected, come back through a bridge or loop. */
    OWN_FRAME,
    /**
     * IPv4: bad IHL, total length beyond the captured octets, or a header checksum that does not verify. IPv6: payload
     * length 0 (a jumbogram) or beyond the captured octets.
     */
    BAD_IP_HEADER,
    /** IPv6 extension headers that run past the payload (RFC 8200 §4): the upper layer cannot be found. */
    BAD_EXTENSION_HEADERS,
    /** The destination is not in 224.0.0.0/4 or ff00::/8. */
    NOT_MULTICAST,
    /**
     * Never forwarded: 224.0.0.0/24, link-local control traffic (RFC 5771 §4), and IPv6 scopes 0, 1 and 2 (reserved,
     * interface-local ff01::/16, link-local ff02::/16; RFC 4291 §2.7).
     */
    LINK_LOCAL_GROUP,
    /**
     * An IPv6 datagram from a link-local (fe80::/10) or the unspecified source: a router never forwards a packet whose
     * source is link-local (RFC 4291 §2.5.6), nor one from :: (§2.5.2).
     */
    LINK_LOCAL_SOURCE,
    /** IGMP is control traffic for the router side, never data to forward. */
    IGMP,
    /** MLD (ICMPv6 130, 131, 132, 143) is control traffic for the router side, never data to forward. */
    MLD,
    /**
     * A fragment whose offset and length reach past 65535, a non-last fragment not a multiple of 8 octets, or an empty
     * one (RFC 791; RFC 8200 §4.5).
     */
    BAD_FRAGMENT,
    /** TTL or IPv6 hop limit 0 or 1: it would expire here (RFC 1812 §5.3.1, RFC 8200 §3). */
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
    /** This copy's TTL (hop limit) is not above the egress interface's TTL threshold. */
    BELOW_TTL_THRESHOLD,
    /**
     * Larger than the egress MTU; multicast is never fragmented here and gets no ICMP error (RFC 1812 §4.3.2.7). IPv6
     * routers never fragment (RFC 8200 §5); mcgate sends no ICMPv6 Packet Too Big either (RFC 4443 §3.2 would allow
     * it for multicast), since it has no way to send ICMPv6 from the data path.
     */
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
