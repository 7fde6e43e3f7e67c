package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLD packet as captured or sent on a link: behind an Ethernet header (with at most one 802.1Q tag), or bare on a
 * raw-IP (tun) link.
 *
 * <p>A type of its own beside {@link IgmpFrame} rather than one frame generic over the family: the two share the link
 * layer ({@link EthernetHeader}, {@link LinkType}) but nothing past it, and their decode errors are different reason sets
 * ({@link MalformedPacketException}, {@link MalformedMldException}); a generic frame would only move the family switch
 * into every caller.
 */
public record MldFrame(Optional<EthernetHeader> ethernet, MldPacket packet) {

    /** 33:33:00:00:00:00, the block IPv6 multicast addresses map into (RFC 2464 §7). */
    private static final long IPV6_MULTICAST_BASE = 0x3333_0000_0000L;

    public MldFrame {
        Objects.requireNonNull(ethernet, "ethernet");
        Objects.requireNonNull(packet, "packet");
        if (ethernet.isPresent() && ethernet.get().etherType() != EthernetHeader.ETHERTYPE_IPV6) {
            throw new IllegalArgumentException("MLD frames carry EtherType 0x86dd");
        }
    }

    /** The Ethernet address an IPv6 multicast address is sent to: 33:33 plus its low 32 bits (RFC 2464 §7). */
    public static MacAddress groupMac(Ip6 address) {
        if (!address.isMulticast()) {
            throw new IllegalArgumentException(address + " is not a multicast address");
        }
        return new MacAddress(IPV6_MULTICAST_BASE | (address.low() & 0xFFFF_FFFFL));
    }

    /** An untagged Ethernet frame to the MAC of the packet's destination. */
    public static MldFrame ethernet(MacAddress source, MldPacket packet) {
        return new MldFrame(
                Optional.of(
                        EthernetHeader.untagged(groupMac(packet.destination()), source, EthernetHeader.ETHERTYPE_IPV6)),
                packet);
    }

    public static MldFrame rawIp(MldPacket packet) {
        return new MldFrame(Optional.empty(), packet);
    }

    public LinkType linkType() {
        return ethernet.isPresent() ? LinkType.ETHERNET : LinkType.RAW_IP;
    }

    /**
     * Whether a frame is IPv6 carrying ICMPv6 of an MLD type (130, 131, 132, 143), directly or after a Hop-by-Hop
     * header: what the intake hands to the MLD decoder rather than to the forwarder. Only the bytes that say so are
     * read, nothing is validated (the decoder does that), and it never throws or allocates: it runs for every frame.
     */
    public static boolean isMld(byte[] frame, int length, LinkType linkType) {
        int ip = EthernetHeader.ipOffset(frame, length, linkType, EthernetHeader.ETHERTYPE_IPV6);
        if (ip < 0 || ip + Ipv6Header.LENGTH > length || (frame[ip] & 0xf0) != 0x60) {
            return false;
        }
        int next = frame[ip + 6] & 0xff;
        int at = ip + Ipv6Header.LENGTH;
        if (next == Ipv6Header.NEXT_HEADER_HOP_BY_HOP) {
            if (at + 2 > length) {
                return false;
            }
            next = frame[at] & 0xff;
            at += 8 * ((frame[at + 1] & 0xff) + 1);
        }
        if (next != Ipv6Header.NEXT_HEADER_ICMPV6 || at >= length) {
            return false;
        }
        int type = frame[at] & 0xff;
        return type == MldType.MULTICAST_LISTENER_QUERY
                || type == MldType.V1_MULTICAST_LISTENER_REPORT
                || type == MldType.MULTICAST_LISTENER_DONE
                || type == MldType.V2_MULTICAST_LISTENER_REPORT;
    }

    /** Decodes the first {@code length} octets of {@code frame}. */
    public static MldFrame decode(byte[] frame, int length, LinkType linkType) throws MalformedMldException {
        if (length < 0 || length > frame.length) {
            throw new IllegalArgumentException("length " + length + " outside the array");
        }
        if (linkType == LinkType.RAW_IP) {
            return rawIp(MldPacket.decode(frame, 0, length));
        }
        int headerLength = EthernetHeader.headerLength(frame, length);
        if (headerLength == EthernetHeader.SHORT) {
            throw new MalformedMldException(Reason.TRUNCATED, "Ethernet header in " + length + " octets");
        }
        if (headerLength == EthernetHeader.OTHER) {
            throw new MalformedMldException(Reason.NOT_IPV6, "more than one 802.1Q tag");
        }
        EthernetHeader header = EthernetHeader.read(frame, headerLength);
        if (header.etherType() != EthernetHeader.ETHERTYPE_IPV6) {
            throw new MalformedMldException(Reason.NOT_IPV6, "EtherType 0x" + Integer.toHexString(header.etherType()));
        }
        return new MldFrame(Optional.of(header), MldPacket.decode(frame, headerLength, length - headerLength));
    }

    public byte[] encode() {
        int at = ethernet.map(EthernetHeader::length).orElse(0);
        byte[] b = new byte[at + packet.header().totalLength()];
        ethernet.ifPresent(h -> h.writeTo(b, 0));
        packet.encodeInto(b, at);
        return b;
    }
}
