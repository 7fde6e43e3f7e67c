package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.InternetChecksum;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Crafts the frames the forwarding tests feed in: Ethernet or raw-IP IPv4/UDP datagrams with correct header and UDP
 * checksums, and the few malformed variants the rules are about. Reads fields back out of sent frames.
 */
final class Frames {

    static final int ETH = 14;

    private Frames() {}

    /** An Ethernet frame carrying a UDP datagram with a payload of {@code payload} octets (byte i = seed + i). */
    static byte[] udp(MacAddress from, Ip4 source, Ip4 group, int ttl, int payload, int seed) {
        byte[] ip = udpPacket(source, group, ttl, payload, seed);
        MacAddress to = group.isMulticast() ? MacAddress.forGroup(group) : MacAddress.parse("02:00:00:00:00:01");
        return ethernet(from, to, ip);
    }

    static byte[] ethernet(MacAddress from, MacAddress to, byte[] ipPacket) {
        byte[] frame = new byte[ETH + ipPacket.length];
        to.writeTo(frame, 0);
        from.writeTo(frame, 6);
        frame[12] = 0x08;
        System.arraycopy(ipPacket, 0, frame, ETH, ipPacket.length);
        return frame;
    }

    /** A bare IPv4/UDP packet (the raw-IP layout): DF set, identification 0, as Linux sends unconnected UDP. */
    static byte[] udpPacket(Ip4 source, Ip4 group, int ttl, int payload, int seed) {
        int total = 20 + 8 + payload;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 0)
                .putShort((short) 0x4000)
                .put((byte) ttl)
                .put((byte) 17)
                .putShort((short) 0)
                .putInt(source.bits())
                .putInt(group.bits());
        b.putShort((short) 40000)
                .putShort((short) 5000)
                .putShort((short) (8 + payload))
                .putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (seed + i));
        }
        byte[] p = b.array();
        InternetChecksum.fill(p, 0, 20, 10);
        fillUdpChecksum(p, 0);
        return p;
    }

    static void fillUdpChecksum(byte[] b, int ip) {
        int udpLength = u16(b, ip + 2) - 20;
        b[ip + 26] = 0;
        b[ip + 27] = 0;
        int sum = udpSum(b, ip, udpLength);
        int checksum = ~sum & 0xffff;
        put16(b, ip + 26, checksum == 0 ? 0xffff : checksum);
    }

    static boolean udpChecksumVerifies(byte[] b, int ip) {
        return udpSum(b, ip, u16(b, ip + 2) - 20) == 0xffff;
    }

    private static int udpSum(byte[] b, int ip, int udpLength) {
        long sum = u16(b, ip + 12) + u16(b, ip + 14) + u16(b, ip + 16) + u16(b, ip + 18) + 17 + udpLength;
        for (int i = 0; i < udpLength; i += 2) {
            int hi = b[ip + 20 + i] & 0xff;
            int lo = i + 1 < udpLength ? b[ip + 20 + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Puts a wrong UDP checksum in place, as a sender with TX offload does (the pseudo-header sum only). */
    static void breakUdpChecksum(byte[] b, int ip) {
        int udpLength = u16(b, ip + 2) - 20;
        long sum = u16(b, ip + 12) + u16(b, ip + 14) + u16(b, ip + 16) + u16(b, ip + 18) + 17 + udpLength;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        put16(b, ip + 26, (int) sum);
        if (udpChecksumVerifies(b, ip)) {
            throw new IllegalStateException("the broken checksum happens to verify; pick another payload");
        }
    }

    /** Sets the fragment field and fixes the header checksum. */
    static void setFragment(byte[] b, int ip, boolean moreFragments, int offsetUnits) {
        put16(b, ip + 6, (moreFragments ? 0x2000 : 0) | offsetUnits);
        InternetChecksum.fill(b, ip, 20, ip + 10);
    }

    /** Sets the protocol and fixes the header checksum. */
    static void setProtocol(byte[] b, int ip, int protocol) {
        b[ip + 9] = (byte) protocol;
        InternetChecksum.fill(b, ip, 20, ip + 10);
    }

    /** An 802.1Q-tagged copy of an untagged frame. */
    static byte[] tagged(byte[] frame, int vlan) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 12);
        t[12] = (byte) 0x81;
        put16(t, 14, vlan);
        System.arraycopy(frame, 12, t, 16, frame.length - 12);
        return t;
    }

    /** The frame padded with zero octets to {@code length} (Ethernet's 60-octet minimum adds such padding). */
    static byte[] padded(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }

    static int ttl(byte[] b, int ip) {
        return b[ip + 8] & 0xff;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
