package dev.mcgate.forward;

/**
 * Lays out the packet being forwarded for each egress link type, at most once per layout per packet: an Ethernet frame
 * (group MAC, our MAC, 0x0800 or 0x86dd, the IP packet) or a bare IP packet for raw-IP interfaces (tun).
 *
 * <p>Sends are synchronous (the port copies the bytes before it returns), so one layout serves every egress in turn:
 * for Ethernet only the source MAC changes between egress interfaces. When the arrival frame already has the wanted
 * layout (untagged Ethernet in, Ethernet out; raw in, raw out) it is rewritten in place, since the frame array is the
 * handler's; otherwise the IP packet is copied once into a scratch buffer owned by this capture thread.
 */
final class EgressFrames {

    static final int ETHERNET_HEADER = 14;
    private static final int MAX_IP = 65535;

    private byte[] ethernetScratch;
    private byte[] rawScratch;

    private byte[] frame;
    private int ipOffset;
    private int ipLength;
    private int group;
    private boolean ipv6;
    private byte[] ethernet;
    private byte[] raw;

    /** The next packet: {@code ipLength} octets of IPv4 at {@code ipOffset} of {@code frame}, already rewritten. */
    void begin(byte[] arrivalFrame, int arrivalIpOffset, int arrivalIpLength, int groupBits) {
        begin(arrivalFrame, arrivalIpOffset, arrivalIpLength, groupBits, false);
    }

    /**
     * The next packet, IPv4 or IPv6 ({@code ipv6}); {@code groupBits} is the IPv4 group, or the low 32 bits of the
     * IPv6 group (all its MAC is made of).
     */
    void begin(byte[] arrivalFrame, int arrivalIpOffset, int arrivalIpLength, int groupBits, boolean isIpv6) {
        ipv6 = isIpv6;
        frame = arrivalFrame;
        ipOffset = arrivalIpOffset;
        ipLength = arrivalIpLength;
        group = groupBits;
        ethernet = null;
        raw = null;
    }

    /** The Ethernet layout with {@code sourceMac} as source; the frame is {@link #ethernetFrame()}. Returns its length. */
    int ethernet(long sourceMac) {
        if (ethernet == null) {
            if (ipOffset == ETHERNET_HEADER) {
                ethernet = frame;
            } else {
                if (ethernetScratch == null) {
                    ethernetScratch = new byte[ETHERNET_HEADER + MAX_IP];
                }
                ethernet = ethernetScratch;
                System.arraycopy(frame, ipOffset, ethernet, ETHERNET_HEADER, ipLength);
                ethernet[12] = (byte) (ipv6 ? 0x86 : 0x08);
                ethernet[13] = (byte) (ipv6 ? 0xdd : 0x00);
            }
            if (ipv6) {
                // RFC 2464 §7: 33:33 and the low 32 bits of the group.
                ethernet[0] = 0x33;
                ethernet[1] = 0x33;
                ethernet[2] = (byte) (group >>> 24);
                ethernet[3] = (byte) (group >>> 16);
            } else {
                // RFC 1112 §6.4: 01:00:5e and the low 23 bits of the group.
                ethernet[0] = 0x01;
                ethernet[1] = 0x00;
                ethernet[2] = 0x5e;
                ethernet[3] = (byte) ((group >>> 16) & 0x7f);
            }
            ethernet[4] = (byte) (group >>> 8);
            ethernet[5] = (byte) group;
        }
        for (int i = 0; i < 6; i++) {
            ethernet[6 + i] = (byte) (sourceMac >>> (40 - 8 * i));
        }
        return ETHERNET_HEADER + ipLength;
    }

    byte[] ethernetFrame() {
        return ethernet;
    }

    /** The raw-IP layout; the packet is {@link #rawFrame()}. Returns its length. */
    int raw() {
        if (raw == null) {
            if (ipOffset == 0) {
                raw = frame;
            } else {
                if (rawScratch == null) {
                    rawScratch = new byte[MAX_IP];
                }
                raw = rawScratch;
                System.arraycopy(frame, ipOffset, raw, 0, ipLength);
            }
        }
        return ipLength;
    }

    byte[] rawFrame() {
        return raw;
    }
}
