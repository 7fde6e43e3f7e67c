package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.InternetChecksum;
import dev.mcgate.packet.LinkType;
import org.junit.jupiter.api.Test;

/**
 * What {@code lab demo} counts as "on the receiver's wire": the stream's UDP datagrams in its family, and not the
 * membership traffic or other groups that share the LAN; and the IPv6 stream is one mcgate forwards and joins (S,G).
 */
class DemoStreamTest {

    private static final int UDP = 17;
    private static final int IGMP = 2;
    private static final int ICMPV6 = 58;

    /** A raw IPv4 packet (no link header) from the lab source to {@code group}, protocol {@code protocol}. */
    private static byte[] ipv4(Ip4 group, int protocol) {
        byte[] b = new byte[20 + 8 + 16];
        b[0] = 0x45;
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        b[8] = 7;
        b[9] = (byte) protocol;
        System.arraycopy(LabTopology.SOURCE_LINK.hostAddress().toBytes(), 0, b, 12, 4);
        System.arraycopy(group.toBytes(), 0, b, 16, 4);
        InternetChecksum.fill(b, 0, 20, 10);
        return b;
    }

    /** A raw IPv6 packet from the lab source to {@code group}, next header {@code nextHeader}, 8 + 16 octets on. */
    private static byte[] ipv6(Ip6 group, int nextHeader) {
        byte[] b = new byte[40 + 8 + 16];
        b[0] = 0x60;
        b[5] = 24;
        b[6] = (byte) nextHeader;
        b[7] = 7;
        LabTopology.SOURCE_LINK.hostAddress6().writeTo(b, 8);
        group.writeTo(b, 24);
        return b;
    }

    private static boolean matches(DemoStream stream, byte[] packet) {
        return stream.matcher().matches(packet, packet.length, LinkType.RAW_IP);
    }

    @Test
    void theIpv6StreamIsTheGroupsUdpAndNothingElseOnTheWire() {
        DemoStream stream = DemoStream.ipv6();
        Ip6 group = (Ip6) stream.group();
        assertTrue(matches(stream, ipv6(group, UDP)));
        // the MLD of the same group (a report or query to it), another group, the IPv4 stream: not the stream
        assertFalse(matches(stream, ipv6(group, ICMPV6)));
        assertFalse(matches(stream, ipv6(new Ip6(group.high(), group.low() + 1), UDP)));
        assertFalse(matches(stream, ipv4(LabTopology.GROUP, UDP)));
    }

    @Test
    void theIpv4StreamIsTheGroupsUdpAndNothingElseOnTheWire() {
        DemoStream stream = DemoStream.ipv4();
        assertTrue(matches(stream, ipv4(LabTopology.GROUP, UDP)));
        assertFalse(matches(stream, ipv4(LabTopology.GROUP, IGMP)));
        assertFalse(matches(stream, ipv4(Ip4.of(239, 1, 1, 2), UDP)));
        assertFalse(matches(stream, ipv6((Ip6) DemoStream.ipv6().group(), UDP)));
    }

    @Test
    void theIpv6StreamIsAnSsmGroupOfAScopeMcgateForwardsSentFromTheSourceLinksAddress() {
        DemoStream stream = DemoStream.ipv6();
        Ip6 group = (Ip6) stream.group();
        assertEquals(IpFamily.IPV6, stream.family());
        // ff3x::/32 (RFC 4607 §1): joined (S,G), never EXCLUDE; not ff01::/ff02::, which no router forwards.
        assertTrue(group.isSourceSpecific());
        assertFalse(group.isLinkLocalMulticast());
        assertTrue(stream.sourceSpecific());
        assertEquals(LabTopology.SOURCE_LINK.hostAddress6(), stream.source());
        assertEquals("[" + group + "]:5001", stream.socketText(5001));
        assertEquals("(" + stream.source() + ", " + group + ")", stream.joinText());
    }

    @Test
    void aGroupAndSourceOfDifferentFamiliesAreRefused() {
        IpAddress v4 = LabTopology.GROUP;
        assertThrows(
                IllegalArgumentException.class,
                () -> new DemoStream(v4, LabTopology.SOURCE_LINK.hostAddress6(), false));
    }
}
