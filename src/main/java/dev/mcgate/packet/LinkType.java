package dev.mcgate.packet;

/**
 * What a captured frame starts with: an Ethernet header, or (on a tun device) the IPv4 header itself.
 */
public enum LinkType {
    /** LINKTYPE_ETHERNET = 1. */
    ETHERNET(1),
    /** LINKTYPE_RAW = 101 (libpcap may report DLT_RAW as 12 or 14 depending on the platform). */
    RAW_IP(101);

    private final int pcapLinkType;

    LinkType(int pcapLinkType) {
        this.pcapLinkType = pcapLinkType;
    }

    /** The LINKTYPE_ value a pcap file header carries. */
    public int pcapLinkType() {
        return pcapLinkType;
    }

    /** The link type for a pcap LINKTYPE_ or DLT_ value, or null if it is neither Ethernet nor raw IP. */
    public static LinkType fromPcap(int value) {
        return switch (value) {
            case 1 -> ETHERNET;
            case 101, 12, 14, 228 -> RAW_IP;
            default -> null;
        };
    }
}
