package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What mcgate sends: the right destination, TTL 1, TOS 0xc0, Router Alert, group MAC. */
class IgmpEncoderTest {

    private static final Ip4 ME = Ip4.parse("192.168.7.1");
    private static final MacAddress MY_MAC = MacAddress.parse("02:aa:bb:cc:dd:ee");
    private static final Ip4 G = Ip4.parse("239.9.8.7");

    static List<Arguments> messages() {
        return List.of(
                // RFC 3376 §4.1.12 / RFC 2236 §3 destinations.
                Arguments.of(V3Query.general(100, 2, 125), "224.0.0.1"),
                Arguments.of(new V2Query(Ip4.ANY, 100), "224.0.0.1"),
                Arguments.of(V1Query.GENERAL, "224.0.0.1"),
                Arguments.of(new V3Query(G, 10, true, 2, 125, List.of()), "239.9.8.7"),
                Arguments.of(new V3Query(G, 10, false, 2, 125, List.of(Ip4.parse("10.0.0.1"))), "239.9.8.7"),
                Arguments.of(new V2Query(G, 10), "239.9.8.7"),
                Arguments.of(new V1MembershipReport(G), "239.9.8.7"),
                Arguments.of(new V2MembershipReport(G), "239.9.8.7"),
                Arguments.of(new LeaveGroup(G), "224.0.0.2"),
                Arguments.of(
                        new V3MembershipReport(
                                List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, G, List.of()))),
                        "224.0.0.22"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void sendsAsTheRfcsSay(IgmpMessage message, String destination) throws Exception {
        byte[] frame = IgmpEncoder.ethernetFrame(MY_MAC, ME, message);
        IgmpFrame decoded = IgmpFrame.decode(frame, frame.length, LinkType.ETHERNET);
        Ipv4Header ip = decoded.packet().header();
        assertEquals(Ip4.parse(destination), ip.destination());
        assertEquals(ME, ip.source());
        assertEquals(1, ip.ttl());
        assertEquals(0xc0, ip.tos());
        assertTrue(ip.hasRouterAlert());
        // 94 04 00 00 right after the fixed header.
        int options = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        assertEquals(
                List.of(0x94, 0x04, 0x00, 0x00),
                List.of(
                        frame[options] & 0xff,
                        frame[options + 1] & 0xff,
                        frame[options + 2] & 0xff,
                        frame[options + 3] & 0xff));
        assertEquals(message, decoded.packet().message());
        EthernetHeader ethernet = decoded.ethernet().orElseThrow();
        assertEquals(MY_MAC, ethernet.source());
        assertEquals(MacAddress.forGroup(Ip4.parse(destination)), ethernet.destination());
        assertEquals(
                Optional.empty(),
                IgmpFrame.decode(
                                IgmpEncoder.ipPacket(ME, message),
                                IgmpEncoder.ipPacket(ME, message).length,
                                LinkType.RAW_IP)
                        .ethernet());
        assertEquals(
                decoded.packet(),
                IgmpPacket.decode(IgmpEncoder.ipPacket(ME, message), 0, IgmpEncoder.ipPacket(ME, message).length));
    }

    @Test
    void largeReportsGoOutAsSeveralFramesThatEachFit() throws Exception {
        V3MembershipReport report = new MessageGenerator(8).v3Report(40, 60);
        List<byte[]> frames = IgmpEncoder.v3ReportEthernetFrames(MY_MAC, ME, report, 576);
        List<byte[]> packets = IgmpEncoder.v3ReportIpPackets(ME, report, 576);
        assertEquals(frames.size(), packets.size());
        assertTrue(frames.size() > 1);
        for (int i = 0; i < frames.size(); i++) {
            assertTrue(packets.get(i).length <= 576);
            IgmpFrame frame = IgmpFrame.decode(frames.get(i), frames.get(i).length, LinkType.ETHERNET);
            assertEquals(IgmpPacket.decode(packets.get(i), 0, packets.get(i).length), frame.packet());
            assertEquals(Ip4.ALL_IGMPV3_ROUTERS, frame.packet().destination());
        }
    }
}
