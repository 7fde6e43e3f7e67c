package dev.mcgate.packet;

/** Test inputs: rewrites the IPv4 header and IGMP checksums of a frame, so that a mutated frame reaches later checks. */
public final class Checksums {

    private Checksums() {}

    /** @param ip where the IPv4 header starts (0 for raw IP, the Ethernet header's length otherwise) */
    public static void repair(byte[] b, int ip) {
        if (b.length < ip + 20) {
            return;
        }
        int headerLength = 4 * (b[ip] & 0xf);
        if (headerLength < 20 || ip + headerLength > b.length) {
            return;
        }
        InternetChecksum.fill(b, ip, headerLength, ip + 10);
        int total = ((b[ip + 2] & 0xff) << 8) | (b[ip + 3] & 0xff);
        int igmp = ip + headerLength;
        int igmpLength = Math.min(total, b.length - ip) - headerLength;
        if (igmpLength >= 4) {
            InternetChecksum.fill(b, igmp, igmpLength, igmp + 2);
        }
    }
}
