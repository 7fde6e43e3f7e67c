package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** IGMP leaving through a port: framed for its link type, split to the interface's own MTU (tunnels have small ones). */
class PortIgmpSenderTest {

    private static final Ip4 SOURCE = Ip4.parse("10.9.0.2");

    /** A point-to-point port of this MTU and link type. */
    private static RecordingPort port(Optional<MacAddress> mac, int mtu, LinkType linkType) {
        return new RecordingPort(
                new NetInterface(
                        "tun0",
                        7,
                        mac,
                        List.of(NetInterface.InterfaceAddress.of(SOURCE, Ip4.parse("10.9.0.1"), 32)),
                        mtu,
                        new NetInterface.Flags(true, true, true, false, true)),
                linkType);
    }

    /** A report of {@code n} groups, 8 bytes of record each. */
    private static V3MembershipReport report(int n) {
        List<GroupRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new GroupRecord(RecordType.MODE_IS_EXCLUDE, new Ip4(0xef140000 + i), List.of()));
        }
        return new V3MembershipReport(records);
    }

    @Test
    void onARawIpLinkAReportIsABareIpv4PacketWithRouterAlert() throws Exception {
        RecordingPort port = port(Optional.empty(), 1400, LinkType.RAW_IP);
        new PortIgmpSender(port, SOURCE).send(report(2));
        assertEquals(1, port.sent.size());
        byte[] packet = port.sent.get(0);
        assertEquals(0x46, packet[0] & 0xff, "IPv4 with one option word, no Ethernet header before it");
        assertEquals(
                List.of(0x94, 0x04, 0x00, 0x00),
                List.of(packet[20] & 0xff, packet[21] & 0xff, packet[22] & 0xff, packet[23] & 0xff),
                "Router Alert");
        assertEquals(1, packet[8] & 0xff, "TTL 1");
        IgmpFrame decoded = IgmpFrame.decode(packet, packet.length, LinkType.RAW_IP);
        assertEquals(SOURCE, decoded.packet().source());
        assertEquals(report(2), decoded.packet().message());
    }

    @Test
    void aReportIsSplitToASmallTunnelMtuNotTo1500() throws Exception {
        // 100 groups: 800 bytes of records; a 300-byte MTU (below 576, as inside another tunnel) needs several.
        RecordingPort port = port(Optional.empty(), 300, LinkType.RAW_IP);
        PortIgmpSender sender = new PortIgmpSender(port, SOURCE);
        sender.send(report(100));
        assertTrue(port.sent.size() >= 3, port.sent.size() + " packets");
        List<GroupRecord> all = new ArrayList<>();
        for (byte[] p : port.sent) {
            assertTrue(p.length <= 300, p.length + " bytes on a 300-byte MTU");
            all.addAll(((V3MembershipReport) IgmpFrame.decode(p, p.length, LinkType.RAW_IP)
                            .packet()
                            .message())
                    .records());
        }
        assertEquals(report(100).records(), all, "every record sent once, in order");
        assertEquals(port.sent.size(), sender.sent());
        assertEquals(0, sender.failed());
    }

    @Test
    void onAVxlanLinkTheEthernetFrameFitsItsMtuOf1450() throws Exception {
        // 400 groups: 3200 bytes of records; a VXLAN's IP MTU is 1450, the Ethernet header comes on top.
        RecordingPort port = port(Optional.of(MacAddress.parse("02:00:00:00:00:42")), 1450, LinkType.ETHERNET);
        new PortIgmpSender(port, SOURCE).send(report(400));
        assertTrue(port.sent.size() >= 3);
        for (byte[] f : port.sent) {
            assertTrue(f.length - 14 <= 1450, (f.length - 14) + " bytes of IP on a 1450-byte MTU");
            assertEquals(0x01, f[0] & 0xff, "to the 01:00:5e MAC of 224.0.0.22");
        }
    }

    @Test
    void theMtuIsTheInterfacesOwnAndAnUnknownOneIs1500() {
        assertEquals(
                300,
                PortIgmpSender.mtuOf(
                        port(Optional.empty(), 300, LinkType.RAW_IP).netInterface()));
        assertEquals(
                1450,
                PortIgmpSender.mtuOf(
                        port(Optional.empty(), 1450, LinkType.RAW_IP).netInterface()));
        assertEquals(
                1500,
                PortIgmpSender.mtuOf(port(Optional.empty(), 0, LinkType.RAW_IP).netInterface()));
        assertEquals(
                68,
                PortIgmpSender.mtuOf(port(Optional.empty(), 20, LinkType.RAW_IP).netInterface()));
    }
}
