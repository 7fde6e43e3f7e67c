package dev.mcgate.packet;

/**
 * Thrown when received bytes are not a well-formed frame, IPv6 packet or MLD message; the {@link Reason} is what MLD drop
 * counters will key on.
 *
 * <p>A set of its own rather than more constants in {@link MalformedPacketException.Reason}: the IGMP intake counts and
 * shows every IGMP reason per interface (zeros included), and IPv6 reasons there would be rows that can never move.
 */
public final class MalformedMldException extends Exception {

    /** Why a packet was rejected; one counter per reason per interface. */
    public enum Reason {
        /** Fewer octets than a header or a length field says there are. */
        TRUNCATED,
        /** The ICMPv6 checksum over the pseudo-header does not verify. */
        BAD_CHECKSUM,
        /**
         * A length or count field is inconsistent with the message: a query of 25-27 octets (RFC 9777 §8.1), sources or
         * records past the end, a payload length of 0 (a jumbogram) or one that leaves no room for its headers.
         */
        BAD_LENGTH,
        /** The IP version field is not 6. */
        BAD_VERSION,
        /** The frame does not carry IPv6 (another EtherType, or more than one VLAN tag). */
        NOT_IPV6,
        /**
         * A malformed Hop-by-Hop option: it runs past the header, a Pad1/PadN run is longer than 7 octets or PadN carries
         * non-zero octets (RFC 8200 §4.2, as Linux checks), or a Router Alert option is not 2 octets long (RFC 2711 §2.1).
         */
        BAD_OPTION,
        /**
         * A Hop-by-Hop option this codec does not know whose action bits (RFC 8200 §4.2) say to discard the packet (01, 10
         * or 11). No ICMPv6 Parameter Problem is sent for it: MLD goes to multicast addresses and the codec sends
         * nothing; the drop is counted instead. Unknown options with action 00 are skipped and kept.
         */
        UNKNOWN_OPTION,
        /** The packet is (a fragment of) a fragmented one; MLD is never fragmented and we do not reassemble. */
        FRAGMENTED,
        /** The upper layer after the IPv6 header (and a Hop-by-Hop header, if any) is not ICMPv6 (58). */
        NOT_ICMPV6,
        /** An ICMPv6 type that is not one of the MLD messages 130, 131, 132, 143 (Neighbor Discovery, echo, ...). */
        UNKNOWN_TYPE
    }

    private final Reason reason;

    public MalformedMldException(Reason reason, String detail) {
        // No stack trace: these are routine on a hostile LAN and must stay cheap.
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
