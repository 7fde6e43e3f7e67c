package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the bytes of everything mcgate sends: queries, v1/v2/v3 reports and leaves, as IPv4 packets (raw-IP links) or Ethernet frames.
 */
public final class IgmpEncoder {

    private IgmpEncoder() {}

    /** The IPv4 packet for a message (TTL 1, TOS 0xc0, Router Alert), addressed as {@link IgmpMessage#destination()} says. */
    public static byte[] ipPacket(Ip4 source, IgmpMessage message) {
        return IgmpPacket.of(source, message).encode();
    }

    /** The same packet in an untagged Ethernet frame to the destination group's MAC. */
    public static byte[] ethernetFrame(MacAddress sourceMac, Ip4 source, IgmpMessage message) {
        return IgmpFrame.ethernet(sourceMac, IgmpPacket.of(source, message)).encode();
    }

    /** The packets of a v3 report split to fit {@code mtu} (RFC 3376 §4.2.16), one IPv4 packet each. */
    public static List<byte[]> v3ReportIpPackets(Ip4 source, V3MembershipReport report, int mtu) {
        List<byte[]> packets = new ArrayList<>();
        for (V3MembershipReport part : V3ReportSplitter.split(report, mtu)) {
            packets.add(ipPacket(source, part));
        }
        return packets;
    }

    /** The frames of a v3 report split to fit {@code mtu} (the MTU counts the IPv4 packet, not the Ethernet header). */
    public static List<byte[]> v3ReportEthernetFrames(
            MacAddress sourceMac, Ip4 source, V3MembershipReport report, int mtu) {
        List<byte[]> frames = new ArrayList<>();
        for (V3MembershipReport part : V3ReportSplitter.split(report, mtu)) {
            frames.add(ethernetFrame(sourceMac, source, part));
        }
        return frames;
    }

    /** A query split to fit {@code mtu} (RFC 3376 §4.1.8), one IPv4 packet per part. */
    public static List<byte[]> v3QueryIpPackets(Ip4 source, V3Query query, int mtu) {
        List<byte[]> packets = new ArrayList<>();
        for (V3Query part : V3QuerySplitter.split(query, mtu)) {
            packets.add(ipPacket(source, part));
        }
        return packets;
    }

    public static List<byte[]> v3QueryEthernetFrames(MacAddress sourceMac, Ip4 source, V3Query query, int mtu) {
        List<byte[]> frames = new ArrayList<>();
        for (V3Query part : V3QuerySplitter.split(query, mtu)) {
            frames.add(ethernetFrame(sourceMac, source, part));
        }
        return frames;
    }
}
