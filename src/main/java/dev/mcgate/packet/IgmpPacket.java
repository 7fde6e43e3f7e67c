package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.Objects;

/**
 * An IGMP message in its IPv4 packet: the header tells the igmp layer the sender, the destination, the TTL and whether Router Alert was set.
 */
public record IgmpPacket(Ipv4Header header, IgmpMessage message) {

    public IgmpPacket {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(message, "message");
        if (header.protocol() != Ipv4Header.PROTOCOL_IGMP) {
            throw new IllegalArgumentException("IGMP rides in IP protocol 2, not " + header.protocol());
        }
        // A payload longer than the message is allowed: RFC 2236 §2.5 lets messages carry octets we ignore.
        if (header.payloadLength() < IgmpMessageEncoder.length(message)) {
            throw new IllegalArgumentException(
                    "total length " + header.totalLength() + " leaves no room for " + message);
        }
    }

    /** The packet mcgate sends for a message: TTL 1, TOS 0xc0, Router Alert, to {@link IgmpMessage#destination()}. */
    public static IgmpPacket of(Ip4 source, IgmpMessage message) {
        return new IgmpPacket(
                Ipv4Header.forIgmp(source, message.destination(), IgmpMessageEncoder.length(message)), message);
    }

    public Ip4 source() {
        return header.source();
    }

    public Ip4 destination() {
        return header.destination();
    }

    /** Decodes the IPv4 packet at {@code offset}; {@code available} octets may run past its total length (link padding). */
    public static IgmpPacket decode(byte[] b, int offset, int available) throws MalformedPacketException {
        Ipv4Header header = Ipv4Header.decode(b, offset, available);
        if (header.isFragment()) {
            throw new MalformedPacketException(Reason.FRAGMENTED, "fragment of an IPv4 packet");
        }
        if (header.protocol() != Ipv4Header.PROTOCOL_IGMP) {
            throw new MalformedPacketException(Reason.NOT_IGMP, "IP protocol " + header.protocol());
        }
        int headerLength = header.headerLength();
        IgmpMessage message = IgmpMessageDecoder.decode(b, offset + headerLength, header.totalLength() - headerLength);
        return new IgmpPacket(header, message);
    }

    /** The whole packet; octets past the message (if the header says the payload is longer) are zero. */
    public byte[] encode() {
        byte[] b = new byte[header.totalLength()];
        encodeInto(b, 0);
        return b;
    }

    public int encodeInto(byte[] b, int offset) {
        int headerLength = header.writeTo(b, offset);
        IgmpMessageEncoder.encodeInto(message, b, offset + headerLength);
        return header.totalLength();
    }
}
