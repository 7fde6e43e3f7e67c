package dev.mcgate.lab;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.InternetChecksum;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's IPv6 stream as trafgen frames: Ethernet (type 0x86dd, to 33:33 and the group's low 32 bits), the
 * IPv6 header and UDP with its checksum, written out octet by octet so that every frame on the wire is the one built
 * here. IPv6 makes the UDP checksum mandatory (RFC 8200 §8.1): a receiving kernel drops a datagram whose checksum is
 * zero or wrong.
 *
 * <p>IPv6 has no identification field to count up as the IPv4 frames do, and mcgate's duplicate guard takes a frame
 * sent again within its window for a loop's echo. So the first two payload octets carry a sequence number and the
 * config lists {@link #DISTINCT_FRAMES} frames, each with its own checksum, which trafgen sends in turn.
 */
final class TrafgenIpv6Frames {

    /** A hop limit well above what one router hop needs, as a host's default (64) would be. */
    static final int HOP_LIMIT = 64;
    /** Ethernet, IPv6 and UDP headers in front of the payload: what tbf counts besides it. */
    static final int HEADER_BYTES = 14 + 40 + 8;
    /**
     * Distinct frames in a config: more than the 800 that the bench's highest offered rate (400 k pps) sends within
     * mcgate's duplicate window (2 ms), so that no frame comes round again while its fingerprint is held.
     */
    static final int DISTINCT_FRAMES = 1024;
    /** The payload's first octets: the frame's sequence number. */
    static final int SEQUENCE_BYTES = 2;

    static final int FILL = 0x5a;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int UDP = 17;

    private TrafgenIpv6Frames() {}

    /** One frame: {@code payload} octets of UDP payload, the first two {@code sequence}, the rest {@link #FILL}. */
    static byte[] frame(MacAddress sourceMac, Ip6 source, Ip6 group, int payload, int sequence) {
        if (payload < SEQUENCE_BYTES || payload > 0xffff - 8) {
            throw new IllegalArgumentException("an IPv6 bench payload of " + payload + " octets");
        }
        int udpLength = 8 + payload;
        byte[] f = new byte[14 + 40 + udpLength];
        MacAddress.forGroup(group).writeTo(f, 0);
        sourceMac.writeTo(f, 6);
        put16(f, 12, ETHERTYPE_IPV6);
        int ip = 14;
        // Version 6, traffic class 0, flow label 0.
        f[ip] = 0x60;
        put16(f, ip + 4, udpLength);
        f[ip + 6] = UDP;
        f[ip + 7] = HOP_LIMIT;
        source.writeTo(f, ip + 8);
        group.writeTo(f, ip + 24);
        int udp = ip + 40;
        put16(f, udp, TrafgenSender.SOURCE_PORT);
        put16(f, udp + 2, TrafgenSender.PORT);
        put16(f, udp + 4, udpLength);
        put16(f, udp + 8, sequence & 0xffff);
        for (int i = udp + 8 + SEQUENCE_BYTES; i < f.length; i++) {
            f[i] = (byte) FILL;
        }
        long pseudo = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(), source.low(), group.high(), group.low(), udpLength, UDP);
        int checksum = InternetChecksum.compute(pseudo, f, udp, udpLength);
        // A computed 0 is sent as 0xffff: 0 would mean "no checksum", which IPv6 does not allow (RFC 8200 §8.1).
        put16(f, udp + 6, checksum == 0 ? 0xffff : checksum);
        return f;
    }

    /**
     * trafgen's packet configuration: {@link #DISTINCT_FRAMES} frames (rounded up to a whole number per group), the
     * groups in turn, each frame's headers and sequence number as octets and its fill as trafgen's {@code fill}.
     */
    static String config(MacAddress sourceMac, Ip6 source, List<Ip6> groups, int payload) {
        int perGroup = (DISTINCT_FRAMES + groups.size() - 1) / groups.size();
        if (perGroup > 1 << (8 * SEQUENCE_BYTES)) {
            throw new IllegalArgumentException(perGroup + " frames per group do not fit the sequence number");
        }
        int written = HEADER_BYTES + SEQUENCE_BYTES;
        StringBuilder sb = new StringBuilder(
                "/* written by mcgate lab bench: IPv6, the groups in turn, " + perGroup + " distinct frames each */\n");
        for (int sequence = 0; sequence < perGroup; sequence++) {
            for (Ip6 g : groups) {
                byte[] f = frame(sourceMac, source, g, payload, sequence);
                sb.append('{');
                for (int i = 0; i < written; i++) {
                    sb.append(i == 0 ? " " : ", ").append(String.format(Locale.ROOT, "0x%02x", f[i] & 0xff));
                }
                if (payload > SEQUENCE_BYTES) {
                    sb.append(String.format(Locale.ROOT, ", fill(0x%02x, %d)", FILL, payload - SEQUENCE_BYTES));
                }
                sb.append(" }\n");
            }
        }
        return sb.toString();
    }

    private static void put16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }
}
