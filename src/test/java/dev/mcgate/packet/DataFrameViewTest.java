package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forwarding-path view: reads on every link layout, the in-place rewrite, and frames it must call invalid. */
class DataFrameViewTest {

    private static final Ip4 SOURCE = Ip4.parse("10.1.2.3");
    private static final Ip4 GROUP = Ip4.parse("232.4.5.6");
    private static final MacAddress SENDER = MacAddress.parse("02:00:00:00:00:09");
    private static final MacAddress ROUTER = MacAddress.parse("02:00:00:00:00:77");

    private final DataFrameView view = new DataFrameView();

    @Test
    void readsTheHeaderOnEveryLinkLayout() {
        byte[] packet = DataFrames.udpPacket(SOURCE, GROUP, 64, 100, List.of());
        check(DataFrames.ethernet(SENDER, packet, EthernetHeader.NO_VLAN), LinkType.ETHERNET, 14, -1);
        check(DataFrames.ethernet(SENDER, packet, 0x2064), LinkType.ETHERNET, 18, 100);
        check(packet.clone(), LinkType.RAW_IP, 0, -1);
    }

    private void check(byte[] frame, LinkType linkType, int ipOffset, int vlan) {
        view.wrap(frame, frame.length, linkType);
        assertTrue(view.isIpv4());
        assertTrue(view.isValid());
        assertEquals(ipOffset, view.ipOffset());
        assertEquals(vlan, view.vlanId());
        assertEquals(SOURCE, view.source());
        assertEquals(GROUP, view.destination());
        assertEquals(SOURCE.bits(), view.sourceBits());
        assertEquals(64, view.ttl());
        assertEquals(17, view.protocol());
        assertEquals(20, view.headerLength());
        assertEquals(128, view.totalLength());
        assertFalse(view.isFragment());
        assertEquals(InternetChecksum.compute(zeroChecksum(frame, ipOffset, 20), ipOffset, 20), view.headerChecksum());
    }

    private static byte[] zeroChecksum(byte[] frame, int ip, int headerLength) {
        byte[] copy = frame.clone();
        copy[ip + 10] = 0;
        copy[ip + 11] = 0;
        return copy;
    }

    @Test
    void headerLengthCountsOptions() {
        byte[] packet = DataFrames.udpPacket(SOURCE, GROUP, 9, 10, List.of(IpOption.ROUTER_ALERT, IpOption.NOP));
        view.wrap(packet, packet.length, LinkType.RAW_IP);
        assertTrue(view.isValid());
        assertEquals(28, view.headerLength());
        assertEquals(28 + 18, view.totalLength());
    }

    @Test
    void rewriteForEveryTtlMatchesAFullRecompute() {
        for (LinkType linkType : LinkType.values()) {
            for (int ttl = 1; ttl <= 255; ttl++) {
                byte[] packet = DataFrames.udpPacket(SOURCE, GROUP, ttl, 30, List.of(IpOption.ROUTER_ALERT));
                byte[] frame = linkType == LinkType.ETHERNET ? DataFrames.ethernet(SENDER, packet, 5) : packet;
                byte[] before = frame.clone();
                view.wrap(frame, frame.length, linkType);
                if (linkType == LinkType.ETHERNET) {
                    view.setSourceMac(ROUTER);
                }
                view.decrementTtl();
                int ip = view.ipOffset();
                assertEquals(ttl - 1, view.ttl());
                assertEquals(
                        InternetChecksum.compute(zeroChecksum(frame, ip, 24), ip, 24),
                        view.headerChecksum(),
                        "ttl " + ttl);
                assertTrue(view.isValid());
                // Nothing else changed: the expected frame is the original with TTL, checksum and source MAC replaced.
                byte[] expected = before.clone();
                expected[ip + 8] = (byte) (ttl - 1);
                expected[ip + 10] = frame[ip + 10];
                expected[ip + 11] = frame[ip + 11];
                if (linkType == LinkType.ETHERNET) {
                    ROUTER.writeTo(expected, 6);
                    assertEquals(ROUTER.bits(), view.sourceMacBits());
                    assertEquals(MacAddress.forGroup(GROUP).bits(), view.destinationMacBits());
                }
                assertArrayEquals(expected, frame);
            }
        }
    }

    @Test
    void aZeroTtlCannotBeDecremented() {
        byte[] packet = DataFrames.udpPacket(SOURCE, GROUP, 0, 10, List.of());
        view.wrap(packet, packet.length, LinkType.RAW_IP);
        assertThrows(IllegalStateException.class, view::decrementTtl);
        assertThrows(IllegalStateException.class, () -> view.setSourceMac(ROUTER));
    }

    @Test
    void recognisesWhatIsNotAValidIpv4Frame() {
        byte[] packet = DataFrames.udpPacket(SOURCE, GROUP, 64, 100, List.of());
        byte[] frame = DataFrames.ethernet(SENDER, packet, EthernetHeader.NO_VLAN);
        // Too short for the Ethernet header, or for an IPv4 header behind it.
        assertFalse(view.wrap(frame, 13, LinkType.ETHERNET).isIpv4());
        assertFalse(view.wrap(frame, 33, LinkType.ETHERNET).isIpv4());
        assertFalse(view.wrap(packet, 19, LinkType.RAW_IP).isIpv4());
        // Captured shorter than the total length.
        assertTrue(view.wrap(frame, 34, LinkType.ETHERNET).isIpv4());
        assertFalse(view.isValid());
        // Another EtherType, another IP version.
        byte[] arp = frame.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertFalse(view.wrap(arp, arp.length, LinkType.ETHERNET).isIpv4());
        byte[] v6 = packet.clone();
        v6[0] = 0x60;
        assertFalse(view.wrap(v6, v6.length, LinkType.RAW_IP).isIpv4());
        // Bad checksum, IHL below 5, total length below the header.
        byte[] badSum = packet.clone();
        badSum[10] ^= 1;
        assertFalse(view.wrap(badSum, badSum.length, LinkType.RAW_IP).isValid());
        byte[] badIhl = packet.clone();
        badIhl[0] = 0x44;
        assertFalse(view.wrap(badIhl, badIhl.length, LinkType.RAW_IP).isValid());
        byte[] badLength = packet.clone();
        badLength[2] = 0;
        badLength[3] = 10;
        InternetChecksum.fill(badLength, 0, 20, 10);
        assertFalse(view.wrap(badLength, badLength.length, LinkType.RAW_IP).isValid());
        // A frame padded past the total length is fine.
        byte[] padded = Arrays.copyOf(frame, frame.length + 20);
        assertTrue(view.wrap(padded, padded.length, LinkType.ETHERNET).isValid());
    }

    @Test
    void neverThrowsOnRandomBytes() {
        Random random = new Random(77);
        byte[] buffer = new byte[128];
        for (int i = 0; i < 200_000; i++) {
            random.nextBytes(buffer);
            if (random.nextBoolean()) {
                buffer[12] = 0x08;
                buffer[13] = 0;
                buffer[14] = (byte) (0x40 | random.nextInt(16));
            }
            int length = random.nextInt(buffer.length + 1);
            LinkType linkType = random.nextBoolean() ? LinkType.ETHERNET : LinkType.RAW_IP;
            view.wrap(buffer, length, linkType);
            if (view.isValid()) {
                int end = view.ipOffset() + view.totalLength();
                assertTrue(end <= length);
                assertEquals(view.headerLength() >= 20, true);
                if (view.ttl() > 0) {
                    view.decrementTtl();
                    assertTrue(view.isValid());
                }
            }
        }
    }
}
