package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.List;

/**
 * Builds multicast UDP data frames (what the forwarding path sees) for the view tests and the benchmark.
 */
final class DataFrames {

    private DataFrames() {}

    /** An IPv4/UDP packet of {@code payload} octets from {@code source} to {@code group} with the given TTL. */
    static byte[] udpPacket(Ip4 source, Ip4 group, int ttl, int payload, List<IpOption> options) {
        int headerLength = (Ipv4Header.MIN_LENGTH
                        + options.stream().mapToInt(IpOption::length).sum()
                        + 3)
                & ~3;
        Ipv4Header header = new Ipv4Header(
                0, headerLength + 8 + payload, 0x1234, Ipv4Header.DONT_FRAGMENT, ttl, 17, source, group, options);
        byte[] packet = new byte[header.totalLength()];
        header.writeTo(packet, 0);
        for (int i = headerLength; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        return packet;
    }

    /** The packet behind an Ethernet header (with a VLAN tag if {@code vlanTci} is not NO_VLAN). */
    static byte[] ethernet(MacAddress source, byte[] ipPacket, int vlanTci) {
        Ip4 destination = Ip4.fromBytes(ipPacket, 16);
        EthernetHeader header =
                new EthernetHeader(MacAddress.forGroup(destination), source, vlanTci, EthernetHeader.ETHERTYPE_IPV4);
        byte[] frame = new byte[header.length() + ipPacket.length];
        header.writeTo(frame, 0);
        System.arraycopy(ipPacket, 0, frame, header.length(), ipPacket.length);
        return frame;
    }
}
