package dev.mcgate.forward;

/**
 * The UDP checksum of an unfragmented IPv4 datagram (RFC 768: over a pseudo header of source, destination, protocol
 * and UDP length, then the UDP header and data), checked and recomputed in place without allocating.
 */
final class UdpChecksum {

    enum Verdict {
        /** The checksum verifies. */
        RIGHT,
        /** The checksum does not verify (a partial checksum from a sender with TX offload, or corruption). */
        WRONG,
        /** Checksum field 0: the sender computed none, which IPv4 allows (RFC 768). */
        ABSENT,
        /** Not checkable: too short, or a UDP length that disagrees with the IP total length. */
        UNCHECKABLE
    }

    private static final int PROTOCOL_UDP = 17;

    private UdpChecksum() {}

    static Verdict check(byte[] b, int ip, int headerLength, int totalLength) {
        int udp = ip + headerLength;
        int udpLength = totalLength - headerLength;
        if (udpLength < 8 || u16(b, udp + 4) != udpLength) {
            return Verdict.UNCHECKABLE;
        }
        if (u16(b, udp + 6) == 0) {
            return Verdict.ABSENT;
        }
        return fold(pseudoHeaderSum(b, ip, udpLength) + sum(b, udp, udpLength)) == 0xffff
                ? Verdict.RIGHT
                : Verdict.WRONG;
    }

    /** A checksum is present and the lengths agree, so {@link #fill} can recompute it (cheap: no sum). */
    static boolean isRepairable(byte[] b, int ip, int headerLength, int totalLength) {
        int udp = ip + headerLength;
        int udpLength = totalLength - headerLength;
        return udpLength >= 8 && u16(b, udp + 4) == udpLength && u16(b, udp + 6) != 0;
    }

    /** Writes the correct checksum; the caller has checked {@link #isRepairable}. */
    static void fill(byte[] b, int ip, int headerLength, int totalLength) {
        int udp = ip + headerLength;
        int udpLength = totalLength - headerLength;
        b[udp + 6] = 0;
        b[udp + 7] = 0;
        int checksum = ~fold(pseudoHeaderSum(b, ip, udpLength) + sum(b, udp, udpLength)) & 0xffff;
        // RFC 768: a computed checksum of 0 is sent as all ones, since 0 means "no checksum".
        if (checksum == 0) {
            checksum = 0xffff;
        }
        b[udp + 6] = (byte) (checksum >>> 8);
        b[udp + 7] = (byte) checksum;
    }

    static boolean isUdp(byte[] b, int ip) {
        return (b[ip + 9] & 0xff) == PROTOCOL_UDP;
    }

    private static long pseudoHeaderSum(byte[] b, int ip, int udpLength) {
        return u16(b, ip + 12) + u16(b, ip + 14) + u16(b, ip + 16) + u16(b, ip + 18) + PROTOCOL_UDP + udpLength;
    }

    /** The one's complement sum of 16-bit words, taken 32 bits at a time into a long (carries are folded later). */
    private static long sum(byte[] b, int offset, int length) {
        long sum = 0;
        int end = offset + (length & ~3);
        int i = offset;
        for (; i < end; i += 4) {
            sum += ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        int rest = offset + length;
        if (i + 1 < rest) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < rest) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
