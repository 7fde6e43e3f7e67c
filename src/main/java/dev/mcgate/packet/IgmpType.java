package dev.mcgate.packet;

/**
 * IGMP message type codes (RFC 3376 §4, RFC 2236 §2.1, RFC 1112 appendix I).
 */
final class IgmpType {

    static final int MEMBERSHIP_QUERY = 0x11;
    static final int V1_MEMBERSHIP_REPORT = 0x12;
    static final int V2_MEMBERSHIP_REPORT = 0x16;
    static final int LEAVE_GROUP = 0x17;
    static final int V3_MEMBERSHIP_REPORT = 0x22;

    private IgmpType() {}
}
