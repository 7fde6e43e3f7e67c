package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.i32;
import static dev.mcgate.packet.Bytes.put16;
import static dev.mcgate.packet.Bytes.put32;
import static dev.mcgate.packet.Bytes.u16;
import static dev.mcgate.packet.Bytes.u8;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.Objects;

/**
 * The fixed IPv6 header (RFC 8200 §3): 40 octets, no checksum; the payload length counts every extension header and the
 * upper-layer packet.
 */
public record Ipv6Header(
        int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit, Ip6 source, Ip6 destination) {

    public static final int LENGTH = 40;
    public static final int NEXT_HEADER_HOP_BY_HOP = 0;
    public static final int NEXT_HEADER_ICMPV6 = 58;
    static final int NEXT_HEADER_FRAGMENT = 44;

    public Ipv6Header {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        checkField("traffic class", trafficClass, 0xff);
        checkField("flow label", flowLabel, 0xfffff);
        checkField("next header", nextHeader, 0xff);
        checkField("hop limit", hopLimit, 0xff);
        // 0 would mean a Jumbo Payload option (RFC 2675), which no multicast control packet needs.
        if (payloadLength < 1 || payloadLength > 0xffff) {
            throw new IllegalArgumentException("payload length " + payloadLength);
        }
    }

    public int totalLength() {
        return LENGTH + payloadLength;
    }

    /**
     * Reads and checks the header at {@code offset}; {@code available} is how many octets the frame holds from there
     * (more than the packet is fine: Ethernet pads short frames).
     */
    public static Ipv6Header decode(byte[] b, int offset, int available) throws MalformedMldException {
        // The version first: on a raw-IP link a short IPv4 packet is another family, not a truncated IPv6 one.
        if (available > 0 && (u8(b, offset) >>> 4) != 6) {
            throw new MalformedMldException(Reason.BAD_VERSION, "IP version " + (u8(b, offset) >>> 4));
        }
        if (available < LENGTH) {
            throw new MalformedMldException(Reason.TRUNCATED, "IPv6 header in " + available + " octets");
        }
        int first = i32(b, offset);
        int payloadLength = u16(b, offset + 4);
        if (payloadLength == 0) {
            throw new MalformedMldException(Reason.BAD_LENGTH, "payload length 0 (jumbogram)");
        }
        if (LENGTH + payloadLength > available) {
            throw new MalformedMldException(
                    Reason.TRUNCATED, "payload length " + payloadLength + " in " + (available - LENGTH) + " octets");
        }
        return new Ipv6Header(
                (first >>> 20) & 0xff,
                first & 0xfffff,
                payloadLength,
                u8(b, offset + 6),
                u8(b, offset + 7),
                Ip6.fromBytes(b, offset + 8),
                Ip6.fromBytes(b, offset + 24));
    }

    public int writeTo(byte[] b, int offset) {
        put32(b, offset, (6 << 28) | (trafficClass << 20) | flowLabel);
        put16(b, offset + 4, payloadLength);
        b[offset + 6] = (byte) nextHeader;
        b[offset + 7] = (byte) hopLimit;
        source.writeTo(b, offset + 8);
        destination.writeTo(b, offset + 24);
        return LENGTH;
    }

    /** The sum of the pseudo-header (RFC 8200 §8.1) for an upper-layer packet of {@code upperLayerLength} octets. */
    long pseudoHeaderSum(int upperLayerLength, int upperLayerProtocol) {
        return InternetChecksum.ipv6PseudoHeaderSum(
                source.high(),
                source.low(),
                destination.high(),
                destination.low(),
                upperLayerLength,
                upperLayerProtocol);
    }

    private static void checkField(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
    }
}
