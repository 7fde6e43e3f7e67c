package dev.mcgate.e2e;

import dev.mcgate.net.Ip4;
import java.nio.ByteBuffer;

/**
 * Builds the few raw frames the end-to-end tests inject: an Ethernet + IPv4 + UDP multicast datagram with correct
 * checksums (a receiver's kernel silently drops a datagram whose UDP checksum is wrong).
 */
final class TestFrames {

    private TestFrames() {}

    static byte[] udpMulticast(byte[] srcMac, Ip4 src, Ip4 group, int port, byte[] payload, int ttl) {
        int udpLength = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + udpLength);
        // Ethernet: 01:00:5e + the low 23 bits of the group (RFC 1112 §6.4).
        b.put(new byte[] {
            0x01, 0x00, 0x5e, (byte) ((group.bits() >>> 16) & 0x7f), (byte) (group.bits() >>> 8), (byte) group.bits()
        });
        b.put(srcMac).putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + udpLength))
                .putShort((short) 0x1234)
                .putShort((short) 0x4000)
                .put((byte) ttl)
                .put((byte) 17)
                .putShort((short) 0)
                .putInt(src.bits())
                .putInt(group.bits());
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        int udp = b.position();
        b.putShort((short) 40000)
                .putShort((short) port)
                .putShort((short) udpLength)
                .putShort((short) 0)
                .put(payload);
        // UDP pseudo-header: source, destination, protocol, UDP length.
        long pseudo = (src.bits() >>> 16)
                + (src.bits() & 0xffff)
                + (group.bits() >>> 16)
                + (group.bits() & 0xffff)
                + 17
                + udpLength;
        int sum = checksum(b.array(), udp, udpLength, pseudo);
        b.putShort(udp + 6, (short) (sum == 0 ? 0xffff : sum));
        return b.array();
    }

    /** RFC 1071 one's complement sum over bytes, plus an initial sum. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int ipProtocol(byte[] frame) {
        return frame[14 + 9] & 0xff;
    }

    static Ip4 ipSource(byte[] frame) {
        return Ip4.fromBytes(frame, 14 + 12);
    }

    static Ip4 ipDestination(byte[] frame) {
        return Ip4.fromBytes(frame, 14 + 16);
    }
}
