package dev.mcgate.config;

import java.util.Locale;

/** Which packet I/O engine captures and injects frames: libpcap through pcap4j, or Linux packet sockets directly. */
public enum PacketIoEngine {
    /** libpcap (pcap4j): the default, the most travelled path. */
    PCAP,
    /** AF_PACKET sockets through JNA: batched receive into reused memory, no allocation per frame. */
    AF_PACKET;

    /** The keyword used in configuration files: pcap, af-packet. */
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
