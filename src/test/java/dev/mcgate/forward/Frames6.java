package dev.mcgate.forward;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;

/** IPv6 test frames for the forwarder: UDP datagrams with a valid checksum, fragments, MLD, Ethernet or raw IP. */
final class Frames6 {

    static final int ETH = 14;
    static final int NEXT_HEADER_UDP = 17;
    static final int NEXT_HEADER_FRAGMENT = 44;
    static final int NEXT_HEADER_ICMPV6 = 58;

    private Frames6() {}

    /** An Ethernet frame to the group's 33:33 MAC carrying {@link #udpPacket}. */
    static byte[] udp(MacAddress from, Ip6 source, Ip6 group, int hopLimit, int payload, int seed) {
        return ethernet(from, groupMac(group), udpPacket(source, group, hopLimit, payload, seed));
    }

    /** RFC 2464 §7, written out by hand: 33:33 and the group's last four octets. */
    static MacAddress groupMac(Ip6 group) {
        byte[] g = group.toBytes();
        return MacAddress.fromBytes(new byte[] {0x33, 0x33, g[12], g[13], g[14], g[15]}, 0);
    }

    static byte[] ethernet(MacAddress from, MacAddress to, byte[] ipPacket) {
        byte[] frame = new byte[ETH + ipPacket.length];
        System.arraycopy(to.toBytes(), 0, frame, 0, 6);
        System.arraycopy(from.toBytes(), 0, frame, 6, 6);
        frame[12] = (byte) 0x86;
        frame[13] = (byte) 0xdd;
        System.arraycopy(ipPacket, 0, frame, ETH, ipPacket.length);
        return frame;
    }

    /** A bare IPv6 packet: fixed header, UDP 5000 -> 6000 with a checksum that verifies, {@code payload} seeded octets. */
    static byte[] udpPacket(Ip6 source, Ip6 group, int hopLimit, int payload, int seed) {
        int udpLength = 8 + payload;
        byte[] b = header(source, group, hopLimit, NEXT_HEADER_UDP, udpLength);
        put16(b, 40, 5000);
        put16(b, 42, 6000);
        put16(b, 44, udpLength);
        for (int i = 0; i < payload; i++) {
            b[48 + i] = (byte) (seed * 31 + i * 7);
        }
        put16(b, 46, udpChecksum(b, 0, 40, udpLength));
        return b;
    }

    /** One fragment (RFC 8200 §4.5): fixed header, Fragment header (next header UDP), {@code data} seeded octets. */
    static byte[] fragment(
            Ip6 source, Ip6 group, int hopLimit, int offsetOctets, boolean more, int identification, int data) {
        byte[] b = header(source, group, hopLimit, NEXT_HEADER_FRAGMENT, 8 + data);
        b[40] = NEXT_HEADER_UDP;
        put16(b, 42, offsetOctets | (more ? 1 : 0));
        put16(b, 44, identification >>> 16);
        put16(b, 46, identification);
        for (int i = 0; i < data; i++) {
            b[48 + i] = (byte) (identification + i);
        }
        return b;
    }

    /** An ICMPv6 message of {@code type} (MLD: 130, 131, 132, 143) with 20 octets of body, no Router Alert. */
    static byte[] icmp(Ip6 source, Ip6 destination, int hopLimit, int type) {
        byte[] b = header(source, destination, hopLimit, NEXT_HEADER_ICMPV6, 24);
        b[40] = (byte) type;
        return b;
    }

    private static byte[] header(Ip6 source, Ip6 destination, int hopLimit, int nextHeader, int payloadLength) {
        byte[] b = new byte[40 + payloadLength];
        b[0] = 0x60;
        put16(b, 4, payloadLength);
        b[6] = (byte) nextHeader;
        b[7] = (byte) hopLimit;
        source.writeTo(b, 8);
        destination.writeTo(b, 24);
        return b;
    }

    /** The UDP checksum over the RFC 8200 §8.1 pseudo-header, computed here from scratch (0 never: 0xffff). */
    static int udpChecksum(byte[] b, int ip, int udpAt, int udpLength) {
        long sum = 0;
        for (int i = 8; i < 40; i += 2) {
            sum += u16(b, ip + i);
        }
        sum += udpLength;
        sum += NEXT_HEADER_UDP;
        for (int i = 0; i < udpLength; i += 2) {
            if (i == 6) {
                continue; // the checksum field counts as 0
            }
            int hi = b[ip + udpAt + i] & 0xff;
            int lo = i + 1 < udpLength ? b[ip + udpAt + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = (int) (~sum & 0xffff);
        return checksum == 0 ? 0xffff : checksum;
    }

    static boolean udpChecksumVerifies(byte[] b, int ip) {
        int udpLength = u16(b, ip + 44);
        return u16(b, ip + 46) == udpChecksum(b, ip, 40, udpLength);
    }

    static int hopLimit(byte[] b, int ip) {
        return b[ip + 7] & 0xff;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
