package dev.mcgate.daemon;

import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;

/** What an IGMP message heard on an interface was counted as: its type, our own, or malformed. */
public enum IgmpKind {
    V1_REPORT("v1-report"),
    V2_REPORT("v2-report"),
    V3_REPORT("v3-report"),
    V2_LEAVE("v2-leave"),
    V1_QUERY("v1-query"),
    V2_QUERY("v2-query"),
    V3_QUERY("v3-query"),
    /** DVMRP (type 0x13, RFC 1075): another multicast router's protocol, not ours to act on. */
    DVMRP("dvmrp"),
    /** Multicast traceroute (types 0x1e and 0x1f, RFC 8487): not answered by mcgate. */
    MTRACE("mtrace"),
    /** Any other IGMP type the decoder does not know. */
    OTHER_TYPE("other-type"),
    /** Sent from one of this host's own addresses: our own query, seen again through another handle. */
    OWN("own"),
    /**
     * Did not decode; counted by {@link dev.mcgate.packet.MalformedPacketException.Reason}. Stays last: the intake
     * keeps the reasons' slots from this ordinal on.
     */
    MALFORMED("malformed");

    static final IgmpKind[] VALUES = values();

    private final String keyword;

    IgmpKind(String keyword) {
        this.keyword = keyword;
    }

    /** As counters and metrics show it, in the RFCs' words ({@code v3-report}). */
    public String keyword() {
        return keyword;
    }

    /** The kind of a message of an IGMP type the decoder does not know. */
    static IgmpKind ofType(int type) {
        return switch (type) {
            case 0x13 -> DVMRP;
            case 0x1e, 0x1f -> MTRACE;
            default -> OTHER_TYPE;
        };
    }

    /** The kind of a decoded message. */
    static IgmpKind of(IgmpMessage message) {
        if (message instanceof V3MembershipReport) {
            return V3_REPORT;
        } else if (message instanceof V2MembershipReport) {
            return V2_REPORT;
        } else if (message instanceof V1MembershipReport) {
            return V1_REPORT;
        } else if (message instanceof LeaveGroup) {
            return V2_LEAVE;
        } else if (message instanceof V3Query) {
            return V3_QUERY;
        } else if (message instanceof V2Query) {
            return V2_QUERY;
        } else if (message instanceof V1Query) {
            return V1_QUERY;
        }
        throw new IllegalArgumentException("no kind for " + message.getClass().getSimpleName());
    }
}
