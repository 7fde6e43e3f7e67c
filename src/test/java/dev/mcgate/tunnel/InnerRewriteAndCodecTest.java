package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.InternetChecksum;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The receiving side's rewrite (remap, TTL, checksums) and the membership codec's round trips and bad input. */
class InnerRewriteAndCodecTest {

    private static final Ip4 SOURCE = Ip4.parse("10.1.0.10");
    private static final Ip4 REMOTE = Ip4.parse("239.100.0.1");
    private static final Ip4 LOCAL = Ip4.parse("239.1.1.1");

    /** An IPv4/UDP datagram with both checksums right. */
    private static byte[] datagram(Ip4 group, int ttl) {
        byte[] p = new byte[20 + 8 + 37];
        p[0] = 0x45;
        p[2] = 0;
        p[3] = (byte) p.length;
        p[8] = (byte) ttl;
        p[9] = 17;
        TunnelWire.putInt(p, 12, SOURCE.bits());
        TunnelWire.putInt(p, 16, group.bits());
        TunnelWire.putShort(p, 20, 40000);
        TunnelWire.putShort(p, 22, 5001);
        TunnelWire.putShort(p, 24, 8 + 37);
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) (i * 13);
        }
        InternetChecksum.fill(p, 0, 20, 10);
        int udp = ~udpSum(p) & 0xffff;
        TunnelWire.putShort(p, 26, udp == 0 ? 0xffff : udp);
        return p;
    }

    /** The one's complement sum over the pseudo-header and the UDP segment (0xffff when the checksum is right). */
    private static int udpSum(byte[] p) {
        int length = p.length - 20;
        byte[] b = new byte[12 + length + (length & 1)];
        System.arraycopy(p, 12, b, 0, 8);
        b[9] = 17;
        TunnelWire.putShort(b, 10, length);
        System.arraycopy(p, 20, b, 12, length);
        return ~InternetChecksum.compute(b, 0, b.length) & 0xffff;
    }

    @Test
    void aRemappedGroupKeepsBothChecksumsRight() {
        byte[] p = datagram(REMOTE, 7);
        assertTrue(new InnerRewrite(Map.of(REMOTE, LOCAL), 0).apply(p, p.length));
        assertEquals(LOCAL, new Ip4(TunnelWire.getInt(p, 16)));
        assertEquals(7, p[8]);
        assertTrue(InternetChecksum.verify(p, 0, 20), "IPv4 header checksum");
        assertEquals(0xffff, udpSum(p), "UDP checksum over the new pseudo-header");
    }

    @Test
    void theTtlIsSetOneAboveWhatLeavesAndOtherGroupsAreUntouched() {
        byte[] p = datagram(Ip4.parse("239.5.5.5"), 3);
        byte[] before = p.clone();
        assertTrue(new InnerRewrite(Map.of(REMOTE, LOCAL), 8).apply(p, p.length));
        assertEquals(9, p[8], "forwarding takes one off: it leaves with 8");
        assertEquals(TunnelWire.getInt(before, 16), TunnelWire.getInt(p, 16));
        assertTrue(InternetChecksum.verify(p, 0, 20));
        assertTrue(new InnerRewrite(Map.of(), 0).isIdentity());
        assertTrue(!new InnerRewrite(Map.of(), 0).apply(new byte[10], 10), "not IPv4: refused, untouched");
    }

    @Test
    void membershipRoundTripsIncludingSplitIncludeRecords() {
        Map<Ip4, Subscription> groups = new TreeMap<>();
        groups.put(Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);
        groups.put(Ip4.parse("239.1.1.2"), Subscription.exclude(SourceSet.of(Ip4.parse("10.0.0.1"))));
        List<Ip4> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            many.add(new Ip4(0x0A000000 + i));
        }
        groups.put(Ip4.parse("232.1.1.1"), Subscription.include(SourceSet.of(many)));
        List<byte[]> parts = MembershipCodec.encode(IpFamily.IPV4, groups, 7, 500);
        assertTrue(parts.size() > 1);
        Map<IpAddress, Subscription> back = new TreeMap<>();
        for (byte[] part : parts) {
            MembershipCodec.Part decoded = MembershipCodec.decode(IpFamily.IPV4, part, part.length);
            assertEquals(7, decoded.generation());
            assertEquals(parts.size(), decoded.count());
            decoded.groups().forEach((g, s) -> back.merge(g, s, MembershipCodec::unite));
        }
        assertEquals(groups, back);
    }

    @Test
    void everyTruncatedPrefixAndABadModeOrGroupIsRefused() {
        byte[] part = MembershipCodec.encode(
                        IpFamily.IPV4,
                        Map.of(Ip4.parse("239.1.1.1"), Subscription.include(SourceSet.of(Ip4.parse("10.0.0.1")))),
                        1,
                        1000)
                .get(0);
        for (int n = 0; n < part.length; n++) {
            assertNull(MembershipCodec.decode(IpFamily.IPV4, part, n), "prefix " + n);
        }
        byte[] badMode = part.clone();
        badMode[MembershipCodec.PART_HEADER + 4] = 9;
        assertNull(MembershipCodec.decode(IpFamily.IPV4, badMode, badMode.length));
        byte[] unicast = part.clone();
        unicast[MembershipCodec.PART_HEADER] = 10;
        assertNull(MembershipCodec.decode(IpFamily.IPV4, unicast, unicast.length));
    }
}
