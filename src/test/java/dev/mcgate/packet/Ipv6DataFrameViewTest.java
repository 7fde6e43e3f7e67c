package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The IPv6 forwarding-path view: reads on every link layout, the walk over extension headers, and what it calls invalid. */
class Ipv6DataFrameViewTest {

    private static final Ip6 SOURCE = Ip6.parse("2001:db8::7");
    private static final Ip6 GROUP = Ip6.parse("ff3e::8000:1");
    private static final MacAddress SENDER = MacAddress.parse("02:00:00:00:00:09");
    private static final int UDP = 17;

    private final Ipv6DataFrameView view = new Ipv6DataFrameView();

    /** An IPv6 packet: the fixed header (traffic class 0xb8, flow label 0x12345), then {@code rest} as the payload. */
    private static byte[] packet(int nextHeader, int hopLimit, byte[] rest) {
        byte[] b = new byte[40 + rest.length];
        Bytes.put32(b, 0, (6 << 28) | (0xb8 << 20) | 0x12345);
        Bytes.put16(b, 4, rest.length);
        b[6] = (byte) nextHeader;
        b[7] = (byte) hopLimit;
        SOURCE.writeTo(b, 8);
        GROUP.writeTo(b, 24);
        System.arraycopy(rest, 0, b, 40, rest.length);
        return b;
    }

    /** A UDP header and {@code payload} octets. */
    private static byte[] udp(int payload) {
        byte[] b = new byte[8 + payload];
        Bytes.put16(b, 4, b.length);
        return b;
    }

    /** An extension header in the (len + 1) × 8 form: next header, length, zeros. */
    private static byte[] extension(int next, int eightOctetUnits) {
        byte[] b = new byte[8 * (eightOctetUnits + 1)];
        b[0] = (byte) next;
        b[1] = (byte) eightOctetUnits;
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ethernet(byte[] packet, int vlanTci) {
        EthernetHeader header =
                new EthernetHeader(MldFrame.groupMac(GROUP), SENDER, vlanTci, EthernetHeader.ETHERTYPE_IPV6);
        byte[] frame = new byte[header.length() + packet.length];
        header.writeTo(frame, 0);
        System.arraycopy(packet, 0, frame, header.length(), packet.length);
        return frame;
    }

    @Test
    void readsTheHeaderOnEveryLinkLayout() {
        byte[] packet = packet(UDP, 64, udp(100));
        check(ethernet(packet, EthernetHeader.NO_VLAN), LinkType.ETHERNET, 14, -1);
        check(ethernet(packet, 0x2064), LinkType.ETHERNET, 18, 100);
        check(packet.clone(), LinkType.RAW_IP, 0, -1);
    }

    private void check(byte[] frame, LinkType linkType, int ipOffset, int vlan) {
        view.wrap(frame, frame.length, linkType);
        assertTrue(view.isIpv6());
        assertTrue(view.isValid());
        assertEquals(ipOffset, view.ipOffset());
        assertEquals(vlan, view.vlanId());
        assertEquals(SOURCE, view.source());
        assertEquals(GROUP, view.destination());
        assertEquals(SOURCE.high(), view.sourceHigh());
        assertEquals(SOURCE.low(), view.sourceLow());
        assertEquals(GROUP.high(), view.destinationHigh());
        assertEquals(GROUP.low(), view.destinationLow());
        assertTrue(view.isMulticastDestination());
        assertEquals(64, view.hopLimit());
        assertEquals(0xb8, view.trafficClass());
        assertEquals(108, view.payloadLength());
        assertEquals(UDP, view.nextHeader());
        assertEquals(UDP, view.upperLayerProtocol());
        assertEquals(ipOffset + 40, view.upperLayerOffset());
        assertFalse(view.isFragment());
    }

    @Test
    void walksTheExtensionHeadersToTheUpperLayer() {
        // Hop-by-Hop (8), Destination Options (16), Routing (8), Authentication (payload len 4: (4 + 2) * 4 = 24), UDP.
        byte[] authentication = new byte[24];
        authentication[0] = UDP;
        authentication[1] = 4;
        byte[] chain = concat(extension(60, 0), extension(43, 1), extension(51, 0), authentication, udp(10));
        view.wrap(packet(0, 9, chain), 40 + chain.length, LinkType.RAW_IP);
        assertTrue(view.isValid());
        assertEquals(0, view.nextHeader());
        assertEquals(UDP, view.upperLayerProtocol());
        assertEquals(40 + 8 + 16 + 8 + 24, view.upperLayerOffset());
        assertFalse(view.isFragment());
    }

    @Test
    void aFragmentHeaderIsSkippedAndReported() {
        byte[] fragment = new byte[8];
        fragment[0] = UDP;
        fragment[3] = 1; // M flag: more fragments
        view.wrap(packet(44, 9, concat(fragment, udp(10))), 40 + 8 + 18, LinkType.RAW_IP);
        assertEquals(UDP, view.upperLayerProtocol());
        assertEquals(48, view.upperLayerOffset());
        assertTrue(view.isFragment());
        // The view is reused: the next frame is not a fragment.
        view.wrap(packet(UDP, 9, udp(10)), 58, LinkType.RAW_IP);
        assertFalse(view.isFragment());
        assertEquals(40, view.upperLayerOffset());
    }

    @Test
    void anExtensionHeaderPastThePayloadIsAMalformedChain() {
        // Destination Options claiming 16 octets in a payload of 8.
        byte[] cut = packet(60, 9, Arrays.copyOf(extension(UDP, 1), 8));
        view.wrap(cut, cut.length, LinkType.RAW_IP);
        assertTrue(view.isValid());
        assertEquals(Ipv6DataFrameView.MALFORMED_CHAIN, view.upperLayerProtocol());
        // A lone octet of a Hop-by-Hop header: not even its length is there.
        byte[] one = packet(0, 9, new byte[] {UDP});
        view.wrap(one, one.length, LinkType.RAW_IP);
        assertEquals(Ipv6DataFrameView.MALFORMED_CHAIN, view.upperLayerProtocol());
        // No Next Header (59) and ESP (50) end the walk: there is nothing the view can look into.
        view.wrap(packet(59, 9, new byte[0]), 40, LinkType.RAW_IP);
        assertEquals(59, view.upperLayerProtocol());
        view.wrap(packet(50, 9, new byte[16]), 56, LinkType.RAW_IP);
        assertEquals(50, view.upperLayerProtocol());
    }

    @Test
    void framesThatAreNotValidIpv6() {
        byte[] packet = packet(UDP, 64, udp(20));
        byte[] frame = ethernet(packet, EthernetHeader.NO_VLAN);
        assertFalse(view.wrap(frame, 53, LinkType.ETHERNET).isIpv6(), "39 octets of IPv6 header");
        assertTrue(view.wrap(frame, 54, LinkType.ETHERNET).isIpv6());
        assertFalse(view.isValid(), "payload past the captured octets");
        byte[] ipv4 = frame.clone();
        ipv4[13] = 0x00;
        ipv4[12] = 0x08;
        assertFalse(view.wrap(ipv4, ipv4.length, LinkType.ETHERNET).isIpv6(), "EtherType 0x0800");
        byte[] version4 = packet.clone();
        version4[0] = 0x45;
        assertFalse(view.wrap(version4, version4.length, LinkType.RAW_IP).isIpv6(), "version 4 on a raw-IP link");
        byte[] jumbo = packet.clone();
        jumbo[4] = 0;
        jumbo[5] = 0;
        assertTrue(view.wrap(jumbo, jumbo.length, LinkType.RAW_IP).isIpv6());
        assertFalse(view.isValid(), "payload length 0");
        assertFalse(view.wrap(new byte[10], 10, LinkType.ETHERNET).isValid(), "shorter than Ethernet");
        // Ethernet padding past the packet is fine.
        byte[] padded = Arrays.copyOf(frame, frame.length + 10);
        assertTrue(view.wrap(padded, padded.length, LinkType.ETHERNET).isValid());
    }

    @Test
    void readsAnMldPacketTheCodecBuilt() {
        byte[] frame = MldFrame.ethernet(SENDER, MldPacket.of(Ip6.parse("fe80::1"), new MldDone(GROUP)))
                .encode();
        view.wrap(frame, frame.length, LinkType.ETHERNET);
        assertTrue(view.isValid());
        assertEquals(1, view.hopLimit());
        assertEquals(Ip6.ALL_ROUTERS, view.destination());
        assertEquals(Ipv6Header.NEXT_HEADER_HOP_BY_HOP, view.nextHeader());
        assertEquals(Ipv6Header.NEXT_HEADER_ICMPV6, view.upperLayerProtocol());
        assertEquals(14 + 48, view.upperLayerOffset());
    }
}
