package dev.mcgate.config;

import java.util.Locale;

/**
 * Which packet I/O engine captures and injects frames: libpcap through pcap4j, Linux packet sockets directly, or pcap
 * with the kernel forwarding what it can by nft rules.
 */
public enum PacketIoEngine {
    /** libpcap (pcap4j): the default, the most travelled path. */
    PCAP,
    /** AF_PACKET sockets through JNA: batched receive into reused memory, no allocation per frame. */
    AF_PACKET,
    /**
     * af-packet, with multicast data taken at the XDP hook and read from an AF_XDP socket: no socket buffer for the
     * kernel's IP stack, no packet-socket copy; where the kernel refuses XDP, af-packet alone.
     */
    AF_XDP,
    /**
     * nftables netdev rules that mcgate installs forward the routes the kernel can carry (dup/fwd at the upstream's
     * ingress hook); capture, IGMP and everything else go through pcap, which is also the fallback.
     */
    NFT;

    /** The keyword used in configuration files: pcap, af-packet, af-xdp, nft. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The engine named {@code keyword}, or null. */
    public static PacketIoEngine fromKeyword(String keyword) {
        for (PacketIoEngine e : values()) {
            if (e.keyword().equals(keyword)) {
                return e;
            }
        }
        return null;
    }
}
