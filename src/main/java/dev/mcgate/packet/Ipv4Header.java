package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.i32;
import static dev.mcgate.packet.Bytes.put16;
import static dev.mcgate.packet.Bytes.put32;
import static dev.mcgate.packet.Bytes.u16;
import static dev.mcgate.packet.Bytes.u8;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IPv4 header (RFC 791 §3.1) with its options; the checksum is checked on decode and computed on encode, never stored.
 *
 * @param flagsAndFragmentOffset the 16-bit word: reserved, DF, MF, and the 13-bit fragment offset
 */
public record Ipv4Header(
        int tos,
        int totalLength,
        int identification,
        int flagsAndFragmentOffset,
        int ttl,
        int protocol,
        Ip4 source,
        Ip4 destination,
        List<IpOption> options) {

    public static final int MIN_LENGTH = 20;
    public static final int PROTOCOL_IGMP = 2;
    /** Internetwork Control precedence, which the kernel and RFC 3376 §4 senders use for IGMP. */
    public static final int TOS_INTERNETWORK_CONTROL = 0xc0;

    public static final int DONT_FRAGMENT = 0x4000;
    static final int MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1fff;
    /** 20 octets plus Router Alert: the header of every IGMP packet we send. */
    public static final int IGMP_HEADER_LENGTH = MIN_LENGTH + 4;

    public Ipv4Header {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        options = List.copyOf(options);
        checkField("tos", tos, 0xff);
        checkField("identification", identification, 0xffff);
        checkField("flags and fragment offset", flagsAndFragmentOffset, 0xffff);
        checkField("ttl", ttl, 0xff);
        checkField("protocol", protocol, 0xff);
        int headerLength = headerLength(options);
        if (headerLength > 60) {
            throw new IllegalArgumentException("options need " + headerLength + " octets of header, 60 at most");
        }
        if (totalLength < headerLength || totalLength > 0xffff) {
            throw new IllegalArgumentException("total length " + totalLength + " with a header of " + headerLength);
        }
    }

    /**
     * The header of an IGMP packet as RFC 3376 §4 and RFC 2236 §2 ask: TTL 1, IP Router Alert; TOS 0xc0 and DF
     * as Linux sends them; identification 0, as Linux sends for DF packets.
     */
    public static Ipv4Header forIgmp(Ip4 source, Ip4 destination, int igmpLength) {
        return new Ipv4Header(
                TOS_INTERNETWORK_CONTROL,
                IGMP_HEADER_LENGTH + igmpLength,
                0,
                DONT_FRAGMENT,
                1,
                PROTOCOL_IGMP,
                source,
                destination,
                List.of(IpOption.ROUTER_ALERT));
    }

    public int headerLength() {
        return headerLength(options);
    }

    public int payloadLength() {
        return totalLength - headerLength();
    }

    public boolean hasRouterAlert() {
        for (IpOption option : options) {
            if (option.isRouterAlert()) {
                return true;
            }
        }
        return false;
    }

    public boolean isFragment() {
        return (flagsAndFragmentOffset & (MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /**
     * Reads and checks the header at {@code offset}; {@code available} is how many octets the frame holds from there
     * (more than the total length is fine: Ethernet pads short frames).
     */
    public static Ipv4Header decode(byte[] b, int offset, int available) throws MalformedPacketException {
        if (available < MIN_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "IPv4 header in " + available + " octets");
        }
        int versionAndIhl = u8(b, offset);
        if ((versionAndIhl >>> 4) != 4) {
            throw new MalformedPacketException(Reason.BAD_VERSION, "IP version " + (versionAndIhl >>> 4));
        }
        int headerLength = 4 * (versionAndIhl & 0xf);
        if (headerLength < MIN_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HEADER_LENGTH, "IHL " + (headerLength / 4));
        }
        if (headerLength > available) {
            throw new MalformedPacketException(
                    Reason.TRUNCATED, "IPv4 header of " + headerLength + " octets in " + available);
        }
        int totalLength = u16(b, offset + 2);
        if (totalLength < headerLength) {
            throw new MalformedPacketException(Reason.BAD_LENGTH, "total length " + totalLength + " below IHL");
        }
        if (totalLength > available) {
            throw new MalformedPacketException(
                    Reason.TRUNCATED, "total length " + totalLength + " in " + available + " octets");
        }
        if (!InternetChecksum.verify(b, offset, headerLength)) {
            throw new MalformedPacketException(Reason.BAD_CHECKSUM, "IPv4 header checksum");
        }
        return new Ipv4Header(
                u8(b, offset + 1),
                totalLength,
                u16(b, offset + 4),
                u16(b, offset + 6),
                u8(b, offset + 8),
                u8(b, offset + 9),
                new Ip4(i32(b, offset + 12)),
                new Ip4(i32(b, offset + 16)),
                decodeOptions(b, offset + MIN_LENGTH, offset + headerLength));
    }

    /** RFC 791 §3.1 options: EOL ends the list, NOP is one octet, the rest are type, length (>= 2), data. */
    private static List<IpOption> decodeOptions(byte[] b, int start, int end) throws MalformedPacketException {
        int at = start;
        if (at == end) {
            return List.of();
        }
        List<IpOption> options = new ArrayList<>(2);
        while (at < end) {
            int type = u8(b, at);
            if (type == IpOption.END_OF_OPTION_LIST) {
                // The rest is padding to the 4-octet boundary. Longer padding is legal but unheard of; refusing it
                // keeps
                // headerLength() equal to the IHL on the wire.
                if (((at - start + 3) & ~3) != end - start) {
                    throw new MalformedPacketException(Reason.BAD_OPTION, "padding past the 4-octet boundary");
                }
                break;
            }
            if (type == IpOption.NO_OPERATION) {
                options.add(IpOption.NOP);
                at++;
                continue;
            }
            if (at + 1 >= end) {
                throw new MalformedPacketException(Reason.BAD_OPTION, "option " + type + " has no length");
            }
            int length = u8(b, at + 1);
            if (length < 2 || at + length > end) {
                throw new MalformedPacketException(Reason.BAD_OPTION, "option " + type + " of length " + length);
            }
            byte[] data = new byte[length - 2];
            System.arraycopy(b, at + 2, data, 0, data.length);
            options.add(new IpOption(type, data));
            at += length;
        }
        return options;
    }

    /** Writes the header, options padded with zeros (End of Option List) to a 4-octet boundary, and its checksum. */
    public int writeTo(byte[] b, int offset) {
        int headerLength = headerLength();
        b[offset] = (byte) (0x40 | headerLength / 4);
        b[offset + 1] = (byte) tos;
        put16(b, offset + 2, totalLength);
        put16(b, offset + 4, identification);
        put16(b, offset + 6, flagsAndFragmentOffset);
        b[offset + 8] = (byte) ttl;
        b[offset + 9] = (byte) protocol;
        put32(b, offset + 12, source.bits());
        put32(b, offset + 16, destination.bits());
        int at = offset + MIN_LENGTH;
        for (IpOption option : options) {
            option.writeTo(b, at);
            at += option.length();
        }
        while (at < offset + headerLength) {
            b[at++] = 0;
        }
        InternetChecksum.fill(b, offset, headerLength, offset + 10);
        return headerLength;
    }

    private static int headerLength(List<IpOption> options) {
        int length = 0;
        for (IpOption option : options) {
            length += option.length();
        }
        return MIN_LENGTH + ((length + 3) & ~3);
    }

    private static void checkField(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
    }
}
