package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.EthernetHeader;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpMessageEncoder;
import dev.mcgate.packet.IgmpPacket;
import dev.mcgate.packet.IpOption;
import dev.mcgate.packet.Ipv4Header;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The RFC 9776 input rules as the capture thread applies them: each forged or misaddressed message is dropped and
 * counted under its own rule, and the well-formed ones around it still reach the loop.
 */
class IgmpInputRulesTest {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:09");
    private static final Ip4 OWN = Ip4.parse("198.51.100.1");
    private static final Ip4 HOST = Ip4.parse("198.51.100.10");
    private static final Ip4 ALTNET_HOST = Ip4.parse("203.0.113.5");
    private static final Ip4 OFF_SUBNET = Ip4.parse("192.0.2.7");
    private static final Ip4 G = Ip4.parse("239.1.1.1");
    private static final LinkScope SCOPE = new LinkScope(
            List.of(NetInterface.InterfaceAddress.of(OWN, OWN, 24)), List.of(Ip4Prefix.parse("203.0.113.0/24")));

    private final List<String> heard = new ArrayList<>();
    private final IgmpIntake intake = new IgmpIntake(
            Ip4.parse("10.255.255.255")::equals,
            port -> SCOPE,
            (port, source, message) ->
                    heard.add(source + " " + message.getClass().getSimpleName()),
            (port, frame, length) -> {});
    private final InterfacePort port = new Port();

    @Test
    void theIssuesForgedQueryFromZeroDotOneNeverReachesTheElection() {
        // Golden: a v3 general query from 0.0.0.1 to 224.0.0.1, TTL 1, Router Alert, QRV 7, QQIC 255 (31744 s).
        byte[] frame = HexFormat.of()
                .parseHex("01005e000001020000000009" + "0800"
                        + "46c000240000400001029a30" + "00000001e0000001" + "94040000"
                        + "11640000" + "00000000" + "07ff0000");
        fixIpChecksum(frame);
        fixIgmpChecksum(frame, 38, 12);

        intake.onFrame(port, frame, frame.length);

        assertEquals(List.of(), heard);
        assertEquals(1, intake.count("down1", IgmpInputCounter.QUERY_OFF_SUBNET));
        assertEquals(1, intake.count("down1", IgmpKind.V3_QUERY), "still counted as heard");
    }

    @Test
    void eachRuleDropsAndCountsItsOwnCase() {
        V3Query general = V3Query.general(100, 7, 31744);
        V3MembershipReport join =
                new V3MembershipReport(List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, G, List.of())));

        send(ipv4(2, true, HOST, Ip4.ALL_SYSTEMS, general), false); // routed here: TTL 2
        send(ipv4(1, false, HOST, Ip4.ALL_SYSTEMS, general), false); // v3 without Router Alert
        send(ipv4(1, false, HOST, Ip4.ALL_IGMPV3_ROUTERS, join), false); // v3 report without Router Alert
        send(ipv4(1, true, HOST, OWN, general), false); // a general query unicast to us (RFC 9776 §9.1)
        send(ipv4(1, true, HOST, Ip4.parse("239.9.9.9"), new V2MembershipReport(G)), false); // another group
        send(ipv4(1, true, HOST, Ip4.parse("198.51.100.20"), new V2MembershipReport(G)), false); // someone else
        send(ipv4(1, true, OFF_SUBNET, Ip4.ALL_SYSTEMS, general), false);
        send(ipv4(1, true, ALTNET_HOST, Ip4.ALL_SYSTEMS, new V2Query(Ip4.ANY, 100)), false); // a router? no
        send(ipv4(1, true, OFF_SUBNET, Ip4.ALL_IGMPV3_ROUTERS, join), false);
        send(ipv4(1, true, OFF_SUBNET, G, new V2MembershipReport(G)), false);
        send(ipv4(1, true, HOST, Ip4.ALL_IGMPV3_ROUTERS, join), true); // tagged: VLAN 5's, not ours

        assertEquals(List.of(), heard);
        assertEquals(1, intake.count("down1", IgmpInputCounter.TTL_NOT_1));
        assertEquals(2, intake.count("down1", IgmpInputCounter.NO_ROUTER_ALERT));
        assertEquals(3, intake.count("down1", IgmpInputCounter.BAD_DESTINATION));
        assertEquals(2, intake.count("down1", IgmpInputCounter.QUERY_OFF_SUBNET));
        assertEquals(2, intake.count("down1", IgmpInputCounter.REPORT_OFF_SUBNET));
        assertEquals(1, intake.count("down1", IgmpInputCounter.VLAN_TAGGED));
    }

    @Test
    void whatTheRfcAllowsGetsThrough() {
        send(ipv4(1, true, HOST, Ip4.ALL_SYSTEMS, V3Query.general(100, 2, 125)), false);
        send(ipv4(1, true, HOST, G, new V3Query(G, 10, false, 2, 125, List.of())), false);
        send(ipv4(1, true, HOST, OWN, new V3Query(G, 10, false, 2, 125, List.of())), false); // §4.1.12: own address
        send(ipv4(1, true, Ip4.ANY, Ip4.ALL_SYSTEMS, V3Query.general(100, 2, 125)), false); // a snooping switch's
        send(ipv4(1, false, HOST, Ip4.ALL_SYSTEMS, new V1Query(Ip4.ANY)), false); // v1 has no Router Alert
        send(ipv4(1, false, HOST, G, new V2MembershipReport(G)), false); // nor need v2
        send(ipv4(1, true, ALTNET_HOST, G, new V2MembershipReport(G)), false); // altnet hosts are served
        send(ipv4(1, true, Ip4.ANY, Ip4.ALL_ROUTERS, new LeaveGroup(G)), false); // §4.2.13: from 0.0.0.0
        send(ipv4(1, true, HOST, G, new LeaveGroup(G)), false); // some hosts send leaves to the group
        send(ipv4(1, true, HOST, OWN, new V2MembershipReport(G)), false); // §4.2.14: to our own address

        assertEquals(10, heard.size(), heard.toString());
        for (IgmpInputCounter c : IgmpInputCounter.values()) {
            assertEquals(0, intake.count("down1", c), c.metric());
        }
    }

    @Test
    void anUnnumberedInterfaceWithoutAltnetsChecksNoSources() {
        LinkScope unnumbered = new LinkScope(List.of(), List.of());
        IgmpIntake lax = new IgmpIntake(
                a -> false, p -> unnumbered, (p, source, message) -> heard.add(source.toString()), (p, f, l) -> {});

        byte[] frame = frame(ipv4(1, true, OFF_SUBNET, G, new V2MembershipReport(G)), false);
        lax.onFrame(port, frame, frame.length);

        assertEquals(List.of(OFF_SUBNET.toString()), heard);
    }

    private void send(IgmpPacket packet, boolean tagged) {
        byte[] b = frame(packet, tagged);
        intake.onFrame(port, b, b.length);
    }

    private static byte[] frame(IgmpPacket packet, boolean tagged) {
        IgmpFrame frame = new IgmpFrame(
                Optional.of(new EthernetHeader(
                        MacAddress.forGroup(packet.destination().isMulticast() ? packet.destination() : G),
                        MAC,
                        tagged ? 5 : EthernetHeader.NO_VLAN,
                        EthernetHeader.ETHERTYPE_IPV4)),
                packet);
        return frame.encode();
    }

    private static IgmpPacket ipv4(int ttl, boolean routerAlert, Ip4 source, Ip4 destination, IgmpMessage message) {
        List<IpOption> options = routerAlert ? List.of(IpOption.ROUTER_ALERT) : List.of();
        int headerLength = routerAlert ? Ipv4Header.IGMP_HEADER_LENGTH : Ipv4Header.MIN_LENGTH;
        return new IgmpPacket(
                new Ipv4Header(
                        0xc0,
                        headerLength + IgmpMessageEncoder.length(message),
                        0,
                        Ipv4Header.DONT_FRAGMENT,
                        ttl,
                        Ipv4Header.PROTOCOL_IGMP,
                        source,
                        destination,
                        options),
                message);
    }

    private static void fixIpChecksum(byte[] frame) {
        frame[24] = 0;
        frame[25] = 0;
        dev.mcgate.packet.InternetChecksum.fill(frame, 14, 24, 24);
    }

    private static void fixIgmpChecksum(byte[] frame, int offset, int length) {
        dev.mcgate.packet.InternetChecksum.fill(frame, offset, length, offset + 2);
    }

    private static final class Port implements InterfacePort {
        @Override
        public NetInterface netInterface() {
            return new NetInterface(
                    "down1",
                    3,
                    Optional.of(MAC),
                    List.of(),
                    1500,
                    new NetInterface.Flags(true, true, true, false, false));
        }

        @Override
        public LinkType linkType() {
            return LinkType.ETHERNET;
        }

        @Override
        public boolean send(byte[] frame, int length) {
            return true;
        }

        @Override
        public PortCounters counters() {
            return new PortCounters(0, 0, 0, 0);
        }

        @Override
        public void close() {}
    }
}
