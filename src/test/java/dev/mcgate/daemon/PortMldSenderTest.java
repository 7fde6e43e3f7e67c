package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.RecordType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MLD leaving through a port: from the link-local address, hop limit 1, Router Alert, split to fit the MTU. */
class PortMldSenderTest {

    private static final Ip6 LINK_LOCAL = Ip6.parse("fe80::a8bb:ccff:fe00:1");
    private static final MacAddress MAC = MacAddress.parse("aa:bb:cc:00:00:01");

    /** A port of this MTU and link type (Ethernet ones have a MAC). */
    private static RecordingPort port(int mtu, LinkType linkType) {
        return new RecordingPort(
                new NetInterface(
                        "down1",
                        7,
                        linkType == LinkType.ETHERNET ? Optional.of(MAC) : Optional.empty(),
                        List.of(NetInterface.InterfaceAddress.of(Ip4.parse("10.0.0.1"), Ip4.parse("10.0.0.1"), 24)),
                        mtu,
                        new NetInterface.Flags(true, true, true, false, false)),
                linkType);
    }

    private static List<Ip6> sources(int n) {
        List<Ip6> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Ip6(0x2001_0db8_0000_0000L, 0x100 + i));
        }
        return out;
    }

    @Test
    void aQueryLeavesAsAValidMldFrameFromTheLinkLocalAddress() throws Exception {
        RecordingPort port = port(1500, LinkType.ETHERNET);
        PortMldSender sender = new PortMldSender(port, LINK_LOCAL);
        sender.send(MldV2Query.general(10_000, 2, 125));
        assertEquals(1, port.sent.size());
        byte[] frame = port.sent.get(0);
        MldFrame decoded = MldFrame.decode(frame, frame.length, LinkType.ETHERNET);
        assertEquals(
                MacAddress.parse("33:33:00:00:00:01"),
                decoded.ethernet().orElseThrow().destination());
        assertEquals(MAC, decoded.ethernet().orElseThrow().source());
        assertEquals(LINK_LOCAL, decoded.packet().source());
        assertEquals(Ip6.ALL_NODES, decoded.packet().destination());
        assertEquals(1, decoded.packet().header().hopLimit());
        assertTrue(decoded.packet().hasRouterAlert());
        assertInstanceOf(MldV2Query.class, decoded.packet().message());
        assertEquals(1, sender.sent());
    }

    @Test
    void onARawIpLinkADoneIsABareIpv6Packet() throws Exception {
        RecordingPort port = port(1280, LinkType.RAW_IP);
        new PortMldSender(port, LINK_LOCAL).send(new MldDone(Ip6.parse("ff15::1")));
        byte[] packet = port.sent.get(0);
        assertEquals(6, (packet[0] & 0xff) >>> 4, "IPv6 from the first octet");
        MldFrame decoded = MldFrame.decode(packet, packet.length, LinkType.RAW_IP);
        assertEquals(Ip6.ALL_ROUTERS, decoded.packet().destination());
    }

    @Test
    void aQueryWithMoreSourcesThanFitIsSplitAndEveryPieceFitsTheMtu() throws Exception {
        RecordingPort port = port(1280, LinkType.ETHERNET);
        List<Ip6> many = sources(200);
        new PortMldSender(port, LINK_LOCAL).send(new MldV2Query(Ip6.parse("ff3e::1"), 1000, false, 2, 125, many));
        assertTrue(port.sent.size() > 1, "200 sources need more than one 1280-octet packet");
        Set<Ip6> asked = new HashSet<>();
        for (byte[] frame : port.sent) {
            assertTrue(frame.length - 14 <= 1280, "packet of " + (frame.length - 14) + " octets");
            MldV2Query q = (MldV2Query) MldFrame.decode(frame, frame.length, LinkType.ETHERNET)
                    .packet()
                    .message();
            asked.addAll(q.sources());
        }
        assertEquals(new HashSet<>(many), asked, "every source is asked about once the pieces are put together");
    }

    @Test
    void anExcludeRecordTooLongIsCutToItsLowestSourcesAndAnAllowOneIsSplit() throws Exception {
        RecordingPort port = port(1280, LinkType.ETHERNET);
        List<Ip6> many = sources(100);
        Ip6 g = Ip6.parse("ff15::2");
        new PortMldSender(port, LINK_LOCAL)
                .send(new MldV2Report(List.of(
                        new MulticastAddressRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, g, many),
                        new MulticastAddressRecord(RecordType.ALLOW_NEW_SOURCES, g, many))));
        List<MulticastAddressRecord> records = new ArrayList<>();
        for (byte[] frame : port.sent) {
            assertTrue(frame.length - 14 <= 1280);
            records.addAll(((MldV2Report) MldFrame.decode(frame, frame.length, LinkType.ETHERNET)
                            .packet()
                            .message())
                    .records());
        }
        List<MulticastAddressRecord> excludes = records.stream()
                .filter(r -> r.type() == RecordType.CHANGE_TO_EXCLUDE_MODE)
                .toList();
        assertEquals(1, excludes.size(), "an EXCLUDE record is never split (it would mean something else)");
        int kept = excludes.get(0).sources().size();
        assertTrue(kept < 100);
        assertEquals(many.subList(0, kept), excludes.get(0).sources(), "the lowest addresses");
        int allowed = records.stream()
                .filter(r -> r.type() == RecordType.ALLOW_NEW_SOURCES)
                .mapToInt(r -> r.sources().size())
                .sum();
        assertEquals(100, allowed, "ALLOW is split into several records that carry every source");
    }
}
