package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.InternetChecksum;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The tunnel with IPv6: the MEMBERSHIP6 codec (round trips, truncation, what the IPv4 layout makes of it), the two
 * families' messages side by side and what a peer that reads only MEMBERSHIP keeps, and the rewrite of IPv6 datagrams
 * (remap, hop limit, the UDP checksum over the new pseudo-header).
 */
class TunnelIpv6Test {

    private static final Ip6 SOURCE = Ip6.parse("2001:db8:1::10");
    private static final Ip6 REMOTE = Ip6.parse("ff3e::100:1");
    private static final Ip6 LOCAL = Ip6.parse("ff15::1:1");
    private static final Ip4 G4 = Ip4.parse("239.1.1.1");

    @Test
    void ipv6MembershipRoundTripsWithSplitIncludeAndOversizedExcludeRecords() {
        Map<IpAddress, Subscription> groups = new TreeMap<>();
        groups.put(Ip6.parse("ff0e::1"), Subscription.ANY_SOURCE);
        groups.put(Ip6.parse("ff15::2"), Subscription.exclude(SourceSet.of(Ip6.parse("2001:db8::1"))));
        List<Ip6> many = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            many.add(new Ip6(0x2001_0db8_0000_0000L, i));
        }
        groups.put(Ip6.parse("ff3e::8000:1"), Subscription.include(SourceSet.of(many)));
        List<byte[]> parts = MembershipCodec.encode(IpFamily.IPV6, groups, 9, 500);
        assertTrue(parts.size() > 1, "100 sources of 16 octets do not fit 500 octets");
        Map<IpAddress, Subscription> back = new TreeMap<>();
        for (byte[] part : parts) {
            MembershipCodec.Part decoded = MembershipCodec.decode(IpFamily.IPV6, part, part.length);
            assertEquals(9, decoded.generation());
            assertEquals(parts.size(), decoded.count());
            decoded.groups().forEach((g, s) -> back.merge(g, s, MembershipCodec::unite));
        }
        assertEquals(groups, back);

        // An EXCLUDE record that fits no message asks for every source (more, never less).
        Map<IpAddress, Subscription> wide = Map.of(Ip6.parse("ff0e::3"), Subscription.exclude(SourceSet.of(many)));
        byte[] only = MembershipCodec.encode(IpFamily.IPV6, wide, 1, 500).get(0);
        assertEquals(
                Map.of(Ip6.parse("ff0e::3"), Subscription.ANY_SOURCE),
                MembershipCodec.decode(IpFamily.IPV6, only, only.length).groups());
    }

    @Test
    void everyTruncatedIpv6PartAndABadModeOrUnicastGroupIsRefused() {
        byte[] part = MembershipCodec.encode(
                        IpFamily.IPV6, Map.of(REMOTE, Subscription.include(SourceSet.of(SOURCE))), 1, 1000)
                .get(0);
        assertEquals(MembershipCodec.PART_HEADER + 16 + 3 + 16, part.length);
        for (int n = 0; n < part.length; n++) {
            assertNull(MembershipCodec.decode(IpFamily.IPV6, part, n), "prefix " + n);
        }
        byte[] badMode = part.clone();
        badMode[MembershipCodec.PART_HEADER + 16] = 2;
        assertNull(MembershipCodec.decode(IpFamily.IPV6, badMode, badMode.length));
        byte[] unicast = part.clone();
        unicast[MembershipCodec.PART_HEADER] = 0x20;
        assertNull(MembershipCodec.decode(IpFamily.IPV6, unicast, unicast.length));
        // Read with the IPv4 layout (a peer mixing up the types), it does not add up: refused, not misread.
        assertNull(MembershipCodec.decode(IpFamily.IPV4, part, part.length));
    }

    @Test
    void theIpv4LayoutIsTheOneOlderPeersRead() {
        // generation 5, part 0 of 1, one record: 239.1.1.1 INCLUDE {10.0.0.1}; written out by hand from the
        // layout older mcgate versions decode.
        byte[] expected = HexFormat.of()
                .parseHex("0000000000000005" + "0000" + "0001" + "0001" + "ef010101" + "00" + "0001" + "0a000001");
        byte[] part = MembershipCodec.encode(
                        IpFamily.IPV4, Map.of(G4, Subscription.include(SourceSet.of(Ip4.parse("10.0.0.1")))), 5, 1000)
                .get(0);
        assertArrayEquals(expected, part);
    }

    @Test
    void bothFamiliesCrossInTheirOwnMessagesAndAnIpv4OnlyPeerKeepsItsGroups() {
        TunnelPair p = new TunnelPair();
        p.start();
        Map<IpAddress, Subscription> want = new TreeMap<>();
        want.put(G4, Subscription.ANY_SOURCE);
        want.put(REMOTE, Subscription.include(SourceSet.of(SOURCE)));
        int before = p.b.sentLog.size();
        p.b.endpoint.setMembership(want);
        List<Integer> types = p.b.sentLog.subList(before, p.b.sentLog.size()).stream()
                .map(m -> m[0] & 0xff)
                .toList();
        assertEquals(List.of(TunnelWire.MEMBERSHIP, TunnelWire.MEMBERSHIP6), types);
        p.deliver();
        assertEquals(want, p.a.lastMembership());

        // A peer that predates MEMBERSHIP6 drops it unopened: it keeps the IPv4 group, and hears of no IPv6 one.
        TunnelPair old = new TunnelPair();
        old.start();
        old.b.endpoint.setMembership(want);
        old.b.outbox.removeIf(m -> (m[0] & 0xff) == TunnelWire.MEMBERSHIP6);
        old.deliver();
        assertEquals(Map.of(G4, Subscription.ANY_SOURCE), old.a.lastMembership());

        // The IPv6 groups withdrawn: MEMBERSHIP6 goes on (empty) so that the peer drops them.
        p.b.endpoint.setMembership(Map.of(G4, Subscription.ANY_SOURCE));
        p.deliver();
        assertEquals(Map.of(G4, Subscription.ANY_SOURCE), p.a.lastMembership());
    }

    @Test
    void anIpv4OnlyMembershipSendsNoMessageAnOlderPeerCannotRead() {
        TunnelPair p = new TunnelPair();
        p.start();
        p.b.endpoint.setMembership(Map.of(G4, Subscription.ANY_SOURCE));
        p.run(TunnelPair.KEEPALIVE.multipliedBy(3));
        assertTrue(p.b.sentLog.stream().noneMatch(m -> (m[0] & 0xff) == TunnelWire.MEMBERSHIP6));
        assertTrue(p.b.sentLog.stream().anyMatch(m -> (m[0] & 0xff) == TunnelWire.MEMBERSHIP));
    }

    @Test
    void ipv6DataCrossesTheTunnelUnchanged() {
        TunnelPair p = new TunnelPair();
        p.start();
        byte[] d = datagram(REMOTE, 9, false);
        assertTrue(p.a.endpoint.sendData(d, 0, d.length));
        p.deliver();
        assertEquals(1, p.b.delivered.size());
        assertArrayEquals(d, p.b.delivered.get(0));
    }

    @Test
    void aRemappedIpv6GroupKeepsTheUdpChecksumRightAndTheHopLimitIsSet() {
        for (boolean hopByHop : new boolean[] {false, true}) {
            byte[] p = datagram(REMOTE, 9, hopByHop);
            assertTrue(udpChecksumRight(p, hopByHop), "the datagram starts right");
            assertTrue(new InnerRewrite(Map.of(REMOTE, LOCAL, G4, Ip4.parse("239.2.2.2")), 0).apply(p, p.length));
            assertEquals(LOCAL, Ip6.fromBytes(p, 24));
            assertEquals(9, p[7], "hop limit kept");
            assertTrue(
                    udpChecksumRight(p, hopByHop), "UDP checksum over the new pseudo-header, hop-by-hop " + hopByHop);

            byte[] q = datagram(REMOTE, 9, hopByHop);
            assertTrue(new InnerRewrite(Map.of(), 4).apply(q, q.length));
            assertEquals(5, q[7], "forwarding takes one off: it leaves with 4");
            assertEquals(REMOTE, Ip6.fromBytes(q, 24), "not remapped: untouched");
            assertTrue(udpChecksumRight(q, hopByHop));
        }
        byte[] other = datagram(Ip6.parse("ff0e::77"), 9, false);
        byte[] before = other.clone();
        assertTrue(new InnerRewrite(Map.of(REMOTE, LOCAL), 0).apply(other, other.length));
        assertArrayEquals(before, other, "another group passes as it came");
        assertFalse(new InnerRewrite(Map.of(REMOTE, LOCAL), 0).apply(other, 39), "shorter than an IPv6 header");
    }

    /** An IPv6/UDP datagram to {@code group}, optionally behind an 8-octet Hop-by-Hop header, checksum right. */
    private static byte[] datagram(Ip6 group, int hopLimit, boolean hopByHop) {
        int ext = hopByHop ? 8 : 0;
        int udpLength = 8 + 41;
        byte[] p = new byte[40 + ext + udpLength];
        p[0] = 0x60;
        TunnelWire.putShort(p, 4, ext + udpLength);
        p[6] = (byte) (hopByHop ? 0 : 17);
        p[7] = (byte) hopLimit;
        SOURCE.writeTo(p, 8);
        group.writeTo(p, 24);
        if (hopByHop) {
            p[40] = 17;
            p[41] = 0; // 8 octets: PadN fills the rest
            p[42] = 1;
            p[43] = 4;
        }
        int u = 40 + ext;
        TunnelWire.putShort(p, u, 40000);
        TunnelWire.putShort(p, u + 2, 5001);
        TunnelWire.putShort(p, u + 4, udpLength);
        for (int i = u + 8; i < p.length; i++) {
            p[i] = (byte) (i * 31);
        }
        InternetChecksum.fill(pseudo(p, udpLength), p, u, udpLength, u + 6);
        return p;
    }

    private static long pseudo(byte[] p, int udpLength) {
        return InternetChecksum.ipv6PseudoHeaderSum(
                Ip6.readLong(p, 8), Ip6.readLong(p, 16), Ip6.readLong(p, 24), Ip6.readLong(p, 32), udpLength, 17);
    }

    private static boolean udpChecksumRight(byte[] p, boolean hopByHop) {
        int u = 40 + (hopByHop ? 8 : 0);
        int udpLength = p.length - u;
        return InternetChecksum.verify(pseudo(p, udpLength), p, u, udpLength);
    }
}
