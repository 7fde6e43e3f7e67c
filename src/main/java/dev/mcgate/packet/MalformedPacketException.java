package dev.mcgate.packet;

/**
 * Thrown when received bytes are not a well-formed frame, IPv4 packet or IGMP message; the {@link Reason} is what drop counters key on.
 */
public final class MalformedPacketException extends Exception {

    /** Why a packet was rejected; one counter per reason per interface. */
    public enum Reason {
        /** Fewer bytes than a header or a length field says there are. */
        TRUNCATED,
        /** An IPv4 header or IGMP checksum does not verify. */
        BAD_CHECKSUM,
        /** A length or count field is inconsistent with the message (including a query of 9-11 octets, RFC 3376 §7.1). */
        BAD_LENGTH,
        /** IPv4 IHL below 5. */
        BAD_HEADER_LENGTH,
        /** An IPv4 option whose length is below 2 or runs past the header. */
        BAD_OPTION,
        /** The IP version field is not 4. */
        BAD_VERSION,
        /** The frame does not carry IPv4 (another EtherType, or more than one VLAN tag). */
        NOT_IPV4,
        /** The IPv4 packet is a fragment; IGMP is never fragmented and we do not reassemble. */
        FRAGMENTED,
        /** The IPv4 protocol is not 2. */
        NOT_IGMP,
        /** An IGMP type this codec does not know (DVMRP, mtrace, ...). */
        UNKNOWN_TYPE
    }

    private final Reason reason;

    public MalformedPacketException(Reason reason, String detail) {
        // No stack trace: these are routine on a hostile LAN and must stay cheap.
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
