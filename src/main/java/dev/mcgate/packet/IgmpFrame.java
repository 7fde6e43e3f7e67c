package dev.mcgate.packet;

import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * An IGMP packet as captured or sent on a link: behind an Ethernet header, or bare on a raw-IP (tun) link.
 */
public record IgmpFrame(Optional<EthernetHeader> ethernet, IgmpPacket packet) {

    public IgmpFrame {
        Objects.requireNonNull(ethernet, "ethernet");
        Objects.requireNonNull(packet, "packet");
        if (ethernet.isPresent() && ethernet.get().etherType() != EthernetHeader.ETHERTYPE_IPV4) {
            throw new IllegalArgumentException("IGMP frames carry EtherType 0x0800");
        }
    }

    /** An untagged Ethernet frame to the group MAC of the packet's destination (RFC 1112 §6.4). */
    public static IgmpFrame ethernet(MacAddress source, IgmpPacket packet) {
        return new IgmpFrame(
                Optional.of(EthernetHeader.untagged(
                        MacAddress.forGroup(packet.destination()), source, EthernetHeader.ETHERTYPE_IPV4)),
                packet);
    }

    public static IgmpFrame rawIp(IgmpPacket packet) {
        return new IgmpFrame(Optional.empty(), packet);
    }

    public LinkType linkType() {
        return ethernet.isPresent() ? LinkType.ETHERNET : LinkType.RAW_IP;
    }

    /** Decodes the first {@code length} octets of {@code frame}. */
    public static IgmpFrame decode(byte[] frame, int length, LinkType linkType) throws MalformedPacketException {
        if (length < 0 || length > frame.length) {
            throw new IllegalArgumentException("length " + length + " outside the array");
        }
        if (linkType == LinkType.RAW_IP) {
            return rawIp(IgmpPacket.decode(frame, 0, length));
        }
        EthernetHeader header = EthernetHeader.decode(frame, length);
        if (header.etherType() != EthernetHeader.ETHERTYPE_IPV4) {
            throw new MalformedPacketException(
                    Reason.NOT_IPV4, "EtherType 0x" + Integer.toHexString(header.etherType()));
        }
        int at = header.length();
        return new IgmpFrame(Optional.of(header), IgmpPacket.decode(frame, at, length - at));
    }

    public byte[] encode() {
        int at = ethernet.map(EthernetHeader::length).orElse(0);
        byte[] b = new byte[at + packet.header().totalLength()];
        ethernet.ifPresent(h -> h.writeTo(b, 0));
        packet.encodeInto(b, at);
        return b;
    }
}
