package dev.mcgate.io;

/**
 * How a captured frame starts: with an Ethernet header, or directly with the IP header (tun, GRE, WireGuard).
 */
public enum LinkType {
    /** DLT_EN10MB: a 14-byte Ethernet header (18 with an 802.1Q tag) before the IP header. */
    ETHERNET,
    /** DLT_RAW: the frame is the IP packet; nothing to rewrite below IP and no MAC to filter on. */
    RAW_IP
}
