package dev.mcgate.forward;

import static dev.mcgate.forward.Frames.ETH;
import static dev.mcgate.forward.Lab.FAR_SOURCE;
import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.RX1_SOURCE;
import static dev.mcgate.forward.Lab.SOURCE_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.Role;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.InternetChecksum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-packet path, frame in, frames out: every rule of DESIGN's data flow and the exact bytes written. */
class ForwarderTest {

    private long now = 5_000_000_000L;
    private final List<String> warnings = new ArrayList<>();
    private Forwarder forwarder;
    private final RecordingPort up0 = new RecordingPort(Lab.UP0);
    private final RecordingPort down1 = new RecordingPort(Lab.DOWN1);
    private final RecordingPort down2 = new RecordingPort(Lab.DOWN2);

    @BeforeEach
    void attach() {
        forwarder = newForwarder(ForwarderOptions.DEFAULTS);
    }

    private Forwarder newForwarder(ForwarderOptions options) {
        Forwarder f = new Forwarder(() -> now, options, warnings::add);
        f.attach(up0);
        f.attach(down1);
        f.attach(down2);
        return f;
    }

    private void bothDownstreamsWant(Ip4 group) {
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(group, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(group, Subscription.ANY_SOURCE))
                .build());
    }

    /** Hands the forwarder a copy (it rewrites in place), 10 ms after the previous frame. */
    private void arrive(RecordingPort port, byte[] frame) {
        now += 10_000_000L;
        byte[] copy = frame.clone();
        forwarder.onFrame(port, copy, copy.length);
    }

    private InterfaceCounters counters(String name) {
        return forwarder.counters().interfaceNamed(name).orElseThrow();
    }

    private static byte[] fromSource(int ttl, int payload) {
        return Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, ttl, payload, 7);
    }

    @Test
    void rewritesGroupMacOurMacTtlAndHeaderChecksumAndNothingElse() {
        bothDownstreamsWant(GROUP);
        byte[] in = fromSource(64, 100);

        arrive(up0, in);

        for (RecordingPort port : List.of(down1, down2)) {
            byte[] out = port.only();
            assertEquals(in.length, out.length);
            assertArrayEquals(MacAddress.forGroup(GROUP).toBytes(), Arrays.copyOfRange(out, 0, 6), "destination MAC");
            assertArrayEquals(
                    port.netInterface().mac().orElseThrow().toBytes(),
                    Arrays.copyOfRange(out, 6, 12),
                    "source MAC is the egress interface's");
            assertEquals(0x0800, Frames.u16(out, 12));
            assertEquals(63, Frames.ttl(out, ETH));
            assertTrue(InternetChecksum.verify(out, ETH, 20), "IPv4 header checksum verifies");
            byte[] expected = in.clone();
            expected[ETH + 8] = 63;
            InternetChecksum.fill(expected, ETH, 20, ETH + 10);
            assertArrayEquals(
                    Arrays.copyOfRange(expected, ETH, expected.length),
                    Arrays.copyOfRange(out, ETH, out.length),
                    "IP packet: only TTL and header checksum change");
            assertTrue(Frames.udpChecksumVerifies(out, ETH), "UDP checksum still verifies");
        }
        assertEquals(0, up0.sent.size(), "never back out of the arrival interface");
    }

    @Test
    void theGroupMacKeepsOnlyTheLow23BitsOfTheGroup() {
        Ip4 high = Ip4.parse("239.255.0.1");
        bothDownstreamsWant(high);
        arrive(up0, Frames.udp(SOURCE_MAC, REMOTE_SOURCE, high, 64, 20, 1));
        // RFC 1112 §6.4: 239.255.0.1 maps to 01:00:5e:7f:00:01 (bit 24 of the group is dropped).
        assertArrayEquals(MacAddress.parse("01:00:5e:7f:00:01").toBytes(), Arrays.copyOfRange(down1.only(), 0, 6));
    }

    @Test
    void ethernetPaddingIsNotForwarded() {
        bothDownstreamsWant(GROUP);
        byte[] small = fromSource(9, 4);
        arrive(up0, Frames.padded(small, 60));
        assertEquals(small.length, down1.only().length, "the copy ends where the IP packet ends");
    }

    @Test
    void linkLocalGroupsAreNeverForwarded() {
        Ip4 mdns = Ip4.parse("224.0.0.251");
        bothDownstreamsWant(GROUP);
        arrive(up0, Frames.udp(SOURCE_MAC, REMOTE_SOURCE, mdns, 255, 20, 1));
        arrive(down1, Frames.udp(Lab.RX1_MAC, RX1_SOURCE, Ip4.parse("224.0.0.1"), 64, 20, 1));
        assertEquals(0, down1.sent.size() + down2.sent.size() + up0.sent.size());
        assertEquals(1, counters("up0").dropped(DropReason.LINK_LOCAL_GROUP));
        assertEquals(1, counters("down1").dropped(DropReason.LINK_LOCAL_GROUP));
    }

    @Test
    void ttlOneAndZeroExpireHereAndTtlTwoLeavesWithOne() {
        bothDownstreamsWant(GROUP);
        arrive(up0, fromSource(1, 20));
        arrive(up0, fromSource(0, 21));
        assertEquals(0, down1.sent.size());
        assertEquals(2, counters("up0").dropped(DropReason.TTL_EXPIRED));
        arrive(up0, fromSource(2, 22));
        assertEquals(1, Frames.ttl(down1.only(), ETH));
    }

    @Test
    void aCopyLeavesOnlyIfItsTtlIsAboveTheEgressThreshold() {
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(Lab.DOWN1, Lab.withTtlThreshold(Lab.config("down1", Role.DOWNSTREAM), 8)))
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        arrive(up0, fromSource(8, 30));
        assertEquals(0, down1.sent.size(), "TTL 8 is not above threshold 8");
        assertEquals(7, Frames.ttl(down2.only(), ETH));
        assertEquals(1, counters("down1").notSent(DropReason.BELOW_TTL_THRESHOLD));
        arrive(up0, fromSource(9, 31));
        assertEquals(8, Frames.ttl(down1.only(), ETH));
    }

    @Test
    void aPacketLargerThanTheEgressMtuIsDroppedAndCountedNeverFragmented() {
        RecordingPort smallDown1 = new RecordingPort(Lab.withMtu(Lab.DOWN1, 576));
        forwarder.detach(down1);
        forwarder.attach(smallDown1);
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(Lab.withMtu(Lab.DOWN1, 576), Lab.config("down1", Role.DOWNSTREAM)))
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        arrive(up0, fromSource(64, 577 - 28));
        assertEquals(0, smallDown1.sent.size());
        assertEquals(1, down2.sent.size());
        assertEquals(1, counters("down1").notSent(DropReason.MTU_EXCEEDED));
        arrive(up0, fromSource(64, 576 - 28));
        assertEquals(576 + ETH, smallDown1.only().length, "exactly the MTU passes");
        assertEquals(
                1,
                forwarder
                        .counters()
                        .flow("up0", REMOTE_SOURCE, GROUP)
                        .orElseThrow()
                        .dropped(DropReason.MTU_EXCEEDED));
    }

    @Test
    void theOperatorIsToldOncePerInterfaceWhenDatagramsDoNotFitItsMtu() {
        // A VXLAN tunnel downstream: 1450 bytes, where the source LAN carries 1500.
        NetInterface vx0 = Lab.withMtu(Lab.DOWN1, 1450);
        forwarder.detach(down1);
        forwarder.attach(new RecordingPort(vx0));
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(vx0, Lab.config("down1", Role.DOWNSTREAM)))
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        arrive(up0, fromSource(64, 1400 - 28));
        assertEquals(List.of(), warnings, "a datagram that fits says nothing");
        for (int i = 0; i < 3; i++) {
            arrive(up0, fromSource(64, 1500 - 28));
        }
        assertEquals(1, warnings.size(), "told once: " + warnings);
        String warning = warnings.get(0);
        assertTrue(
                warning.startsWith(
                        "down1: 1500-byte datagrams from 192.0.2.10 to 239.1.1.1 do not fit its MTU " + "of 1450"),
                warning);
        assertEquals(3, counters("down1").notSent(DropReason.MTU_EXCEEDED));
        assertEquals(4, down2.sent.size(), "the other downstream gets every one");
    }

    @Test
    void aLocalSourceGoesUpstreamAndToTheOtherDownstreamNeverBackOut() {
        bothDownstreamsWant(GROUP);
        byte[] in = Frames.udp(Lab.RX1_MAC, RX1_SOURCE, GROUP, 16, 40, 3);
        arrive(down1, in);
        assertEquals(0, down1.sent.size(), "not back out of down1, though down1 has members");
        assertArrayEquals(Lab.UP0_MAC.toBytes(), Arrays.copyOfRange(up0.only(), 6, 12));
        assertEquals(15, Frames.ttl(down2.only(), ETH));
    }

    @Test
    void aNonQuerierDownstreamGetsNoCopyAndSendsNothing() {
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1().withQuerier(false))
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        arrive(up0, fromSource(64, 20));
        arrive(down1, Frames.udp(Lab.RX1_MAC, RX1_SOURCE, GROUP, 16, 40, 3));
        assertEquals(0, down1.sent.size());
        assertEquals(1, down2.sent.size(), "only the copy from up0");
        assertEquals(0, up0.sent.size());
        assertEquals(1, counters("down1").notSent(DropReason.NOT_QUERIER));
        assertEquals(1, counters("down1").dropped(DropReason.NOT_QUERIER));
    }

    @Test
    void scopeBoundariesHoldInBothDirections() {
        forwarder.publish(new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, Lab.withBoundaries(Lab.config("up0", Role.UPSTREAM), "239.255.0.0/16")))
                .add(InterfaceSpec.of(
                        Lab.DOWN1, Lab.withBoundaries(Lab.config("down1", Role.DOWNSTREAM), "239.1.0.0/16")))
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership(
                        "down2",
                        Map.of(GROUP, Subscription.ANY_SOURCE, Ip4.parse("239.255.1.1"), Subscription.ANY_SOURCE))
                .build());
        arrive(up0, Frames.udp(SOURCE_MAC, REMOTE_SOURCE, Ip4.parse("239.255.1.1"), 64, 20, 1));
        assertEquals(0, down2.sent.size(), "the group may not come in through up0's boundary");
        assertEquals(1, counters("up0").dropped(DropReason.SCOPE_BOUNDARY));
        arrive(up0, fromSource(64, 20));
        assertEquals(0, down1.sent.size(), "nor go out through down1's");
        assertEquals(1, down2.sent.size());
        assertEquals(1, counters("down1").notSent(DropReason.SCOPE_BOUNDARY));
    }

    @Test
    void rfc3376Section63SourceFilteringIsPerInterface() {
        Ip4 other = Ip4.parse("192.0.2.99");
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.include(SourceSet.of(REMOTE_SOURCE))))
                .membership("down2", Map.of(GROUP, Subscription.exclude(SourceSet.of(REMOTE_SOURCE))))
                .build());
        arrive(up0, fromSource(64, 20));
        arrive(up0, Frames.udp(SOURCE_MAC, other, GROUP, 64, 20, 2));
        assertEquals(REMOTE_SOURCE, Ip4.fromBytes(down1.only(), ETH + 12));
        assertEquals(other, Ip4.fromBytes(down2.only(), ETH + 12));
    }

    @Test
    void ourOwnFramesComingBackAreDropped() {
        bothDownstreamsWant(GROUP);
        arrive(up0, Frames.udp(Lab.DOWN2_MAC, REMOTE_SOURCE, GROUP, 64, 20, 1));
        arrive(down1, Frames.udp(Lab.DOWN1_MAC, RX1_SOURCE, GROUP, 64, 20, 1));
        assertEquals(0, up0.sent.size() + down1.sent.size() + down2.sent.size());
        assertEquals(1, counters("up0").dropped(DropReason.OWN_FRAME));
        assertEquals(1, counters("down1").dropped(DropReason.OWN_FRAME));
    }

    @Test
    void theSameDatagramTwiceWithinTheWindowIsForwardedOnce() {
        bothDownstreamsWant(GROUP);
        byte[] in = fromSource(64, 100);
        forwarder.onFrame(up0, in.clone(), in.length);
        now += 1_000_000L;
        byte[] again = in.clone();
        again[ETH + 8] = 60; // one more hop on the other path: TTL is not part of the fingerprint
        InternetChecksum.fill(again, ETH, 20, ETH + 10);
        forwarder.onFrame(up0, again, again.length);
        assertEquals(1, down1.sent.size());
        assertEquals(1, counters("up0").dropped(DropReason.DUPLICATE));
        // A different datagram of the same flow at the same moment is not a duplicate.
        byte[] next = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 100, 8);
        forwarder.onFrame(up0, next, next.length);
        assertEquals(2, down1.sent.size());
        // After the window the same bytes are a new datagram (a source may repeat itself).
        now += 2_000_001L;
        forwarder.onFrame(up0, in.clone(), in.length);
        assertEquals(3, down1.sent.size());
    }

    @Test
    void aZeroWindowTurnsTheDuplicateGuardOff() {
        forwarder = newForwarder(ForwarderOptions.DEFAULTS.withDuplicateWindowNanos(0));
        bothDownstreamsWant(GROUP);
        byte[] in = fromSource(64, 100);
        forwarder.onFrame(up0, in.clone(), in.length);
        forwarder.onFrame(up0, in.clone(), in.length);
        assertEquals(2, down1.sent.size());
    }

    @Test
    void rawIpInBecomesEthernetOut() {
        RecordingPort tun0 = new RecordingPort(Lab.TUN0);
        forwarder.attach(tun0);
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.tun0(Role.UPSTREAM))
                .add(Lab.down1())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        byte[] packet = Frames.udpPacket(FAR_SOURCE, GROUP, 30, 50, 4);
        arrive(tun0, packet);
        byte[] out = down1.only();
        assertEquals(ETH + packet.length, out.length);
        assertArrayEquals(MacAddress.forGroup(GROUP).toBytes(), Arrays.copyOfRange(out, 0, 6));
        assertArrayEquals(Lab.DOWN1_MAC.toBytes(), Arrays.copyOfRange(out, 6, 12));
        assertEquals(0x0800, Frames.u16(out, 12));
        assertEquals(29, Frames.ttl(out, ETH));
        assertTrue(InternetChecksum.verify(out, ETH, 20));
        assertArrayEquals(Arrays.copyOfRange(packet, 20, packet.length), Arrays.copyOfRange(out, ETH + 20, out.length));
    }

    @Test
    void ethernetInBecomesRawIpOutAndEthernetOutTooForTheSamePacket() {
        RecordingPort tun0 = new RecordingPort(Lab.TUN0);
        forwarder.attach(tun0);
        forwarder.publish(Lab.standard()
                .add(Lab.tun0(Role.DOWNSTREAM))
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("tun0", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        byte[] in = fromSource(12, 70);
        arrive(up0, in);
        byte[] raw = tun0.only();
        assertEquals(in.length - ETH, raw.length, "no link header on a raw-IP interface");
        assertEquals(0x45, raw[0] & 0xff);
        assertEquals(11, Frames.ttl(raw, 0));
        assertTrue(InternetChecksum.verify(raw, 0, 20));
        assertArrayEquals(Arrays.copyOfRange(down1.only(), ETH, in.length), raw, "the same IP packet both ways");
    }

    @Test
    void rawIpInAndOutIsForwardedWithoutALinkHeader() {
        RecordingPort tun0 = new RecordingPort(Lab.TUN0);
        RecordingPort tun1 = new RecordingPort(Lab.nif("tun1", 6, null, "10.9.1.1", 30, 1400));
        forwarder.attach(tun0);
        forwarder.attach(tun1);
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.tun0(Role.UPSTREAM))
                .add(InterfaceSpec.of(tun1.netInterface(), Lab.config("tun1", Role.DOWNSTREAM)))
                .membership("tun1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        byte[] packet = Frames.udpPacket(FAR_SOURCE, GROUP, 30, 50, 4);
        arrive(tun0, packet);
        byte[] expected = packet.clone();
        expected[8] = 29;
        InternetChecksum.fill(expected, 0, 20, 10);
        assertArrayEquals(expected, tun1.only());
    }

    @Test
    void malformedAndForeignFramesAreDroppedByReason() {
        bothDownstreamsWant(GROUP);
        byte[] badChecksum = fromSource(64, 20);
        badChecksum[ETH + 10] ^= 0x55;
        arrive(up0, badChecksum);
        arrive(up0, Frames.udp(SOURCE_MAC, REMOTE_SOURCE, Ip4.parse("192.0.2.1"), 64, 20, 1));
        byte[] igmp = fromSource(64, 20);
        Frames.setProtocol(igmp, ETH, 2);
        arrive(up0, igmp);
        byte[] arp = fromSource(64, 20);
        arp[12] = 0x08;
        arp[13] = 0x06;
        arrive(up0, arp);
        arrive(up0, Frames.tagged(fromSource(64, 20), 100));
        byte[] truncated = fromSource(64, 20);
        arrive(up0, Arrays.copyOf(truncated, truncated.length - 5));
        assertEquals(0, down1.sent.size());
        InterfaceCounters c = counters("up0");
        assertEquals(2, c.dropped(DropReason.BAD_IP_HEADER));
        assertEquals(1, c.dropped(DropReason.NOT_MULTICAST));
        assertEquals(1, c.dropped(DropReason.IGMP));
        assertEquals(1, c.dropped(DropReason.NOT_IP));
        assertEquals(1, c.dropped(DropReason.VLAN_TAGGED));
        assertEquals(6, c.received());
    }

    @Test
    void fragmentsAreForwardedOneByOneUnlessTheirGeometryIsImpossible() {
        bothDownstreamsWant(GROUP);
        byte[] first = fromSource(64, 800 - 8);
        Frames.setFragment(first, ETH, true, 0);
        arrive(up0, first);
        assertEquals(1, down1.sent.size(), "a first fragment of 800 octets");
        byte[] last = fromSource(64, 100);
        Frames.setFragment(last, ETH, false, 100);
        arrive(up0, last);
        assertEquals(2, down1.sent.size(), "a last fragment");
        byte[] ragged = fromSource(64, 13);
        Frames.setFragment(ragged, ETH, true, 0);
        arrive(up0, ragged);
        byte[] beyond = fromSource(64, 100);
        Frames.setFragment(beyond, ETH, false, 8190);
        arrive(up0, beyond);
        assertEquals(2, down1.sent.size());
        assertEquals(2, counters("up0").dropped(DropReason.BAD_FRAGMENT));
    }

    @Test
    void wrongUdpChecksumsAreCountedAndToldOncePerInterfaceNamingTheFix() {
        bothDownstreamsWant(GROUP);
        bothDownstreamsWant(Ip4.parse("239.2.2.2"));
        forwarder.publish(Lab.standard()
                .membership(
                        "down1",
                        Map.of(GROUP, Subscription.ANY_SOURCE, Ip4.parse("239.2.2.2"), Subscription.ANY_SOURCE))
                .build());
        for (int i = 0; i < 10; i++) {
            byte[] in = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 100, i);
            Frames.breakUdpChecksum(in, ETH);
            arrive(up0, in);
        }
        byte[] otherFlow = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, Ip4.parse("239.2.2.2"), 64, 100, 1);
        Frames.breakUdpChecksum(otherFlow, ETH);
        arrive(up0, otherFlow);
        assertEquals(11, down1.sent.size(), "still forwarded, as received");
        assertTrue(down1.sent.stream().noneMatch(f -> Frames.udpChecksumVerifies(f, ETH)), "not repaired");
        assertEquals(
                ForwarderOptions.DEFAULTS.checksumSamplesPerFlow() + 1,
                counters("up0").udpChecksumWrong(),
                "the first datagrams of each flow are sampled");
        assertEquals(1, warnings.size(), "told once per interface: " + warnings);
        String warning = warnings.get(0);
        assertTrue(warning.startsWith("up0: "), warning);
        assertTrue(warning.contains("ethtool -K <its interface> tx off"), warning);
        assertTrue(
                warning.contains("'repair-udp-checksum yes' in its interface block"), "names the keyword: " + warning);
        assertTrue(warning.contains("192.0.2.10") && warning.contains("239.1.1.1"), warning);
    }

    @Test
    void wrongUdpChecksumsAreRepairedWhenConfigured() {
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream().withRepairUdpChecksum(true))
                .add(Lab.down1())
                .add(Lab.down2())
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        for (int i = 0; i < 6; i++) {
            byte[] in = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 101, i);
            Frames.breakUdpChecksum(in, ETH);
            arrive(up0, in);
        }
        assertEquals(6, down1.sent.size());
        assertTrue(down1.sent.stream().allMatch(f -> Frames.udpChecksumVerifies(f, ETH)), "every copy repaired");
        assertEquals(6, counters("up0").udpChecksumRepaired());
        assertTrue(warnings.get(0).contains("Repairing them"), warnings.get(0));
    }

    @Test
    void rightAndAbsentUdpChecksumsAreLeftAlone() {
        bothDownstreamsWant(GROUP);
        arrive(up0, fromSource(64, 100));
        byte[] none = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 100, 9);
        none[ETH + 26] = 0;
        none[ETH + 27] = 0;
        arrive(up0, none);
        assertEquals(0, counters("up0").udpChecksumWrong());
        assertEquals(List.of(), warnings);
    }

    @Test
    void flowAndInterfaceCountersAddUp() {
        bothDownstreamsWant(GROUP);
        for (int i = 0; i < 5; i++) {
            arrive(up0, Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 100, i));
        }
        arrive(up0, fromSource(1, 100));
        arrive(down2, Frames.udp(Lab.RX1_MAC, RX1_SOURCE, GROUP, 64, 100, 1));
        ForwardingCounters all = forwarder.counters();
        FlowCounters flow = all.flow("up0", REMOTE_SOURCE, GROUP).orElseThrow();
        assertEquals(6, flow.packets());
        assertEquals(6 * 128, flow.bytes());
        assertEquals(5, flow.forwarded());
        assertEquals(10, flow.copiesSent());
        assertEquals(Map.of(DropReason.TTL_EXPIRED, 1L), flow.dropped());
        assertEquals(10_000_000L, flow.idleNanos(), "last seen one frame (10 ms) ago");
        FlowCounters stray = all.flow("down2", RX1_SOURCE, GROUP).orElseThrow();
        assertEquals(Map.of(DropReason.RPF_FAILED, 1L), stray.dropped());
        InterfaceCounters up = all.interfaceNamed("up0").orElseThrow();
        assertEquals(6, up.received());
        assertEquals(6 * (128 + ETH), up.receivedBytes());
        assertEquals(5, up.forwarded());
        InterfaceCounters d1 = all.interfaceNamed("down1").orElseThrow();
        assertEquals(5, d1.sent());
        assertEquals(5 * 128, d1.sentBytes());
        assertEquals(
                List.of("up0", "down1", "down2"),
                all.interfaces().stream().map(InterfaceCounters::name).toList());
    }

    @Test
    void aNewTableTakesEffectOnTheNextPacket() {
        forwarder.publish(Lab.standard().generation(1).build());
        arrive(up0, fromSource(64, 20));
        assertEquals(0, down1.sent.size());
        bothDownstreamsWant(GROUP);
        arrive(up0, fromSource(64, 21));
        assertEquals(1, down1.sent.size());
        forwarder.publish(Lab.standard().generation(3).build());
        arrive(up0, fromSource(64, 22));
        assertEquals(1, down1.sent.size(), "the leave took effect");
        assertEquals(3, forwarder.counters().tableGeneration());
    }

    @Test
    void framesFromAPortThatIsNotAttachedAreCountedAndIgnored() {
        bothDownstreamsWant(GROUP);
        RecordingPort stranger = new RecordingPort(Lab.UP0);
        arrive(stranger, fromSource(64, 20));
        assertEquals(0, down1.sent.size());
        assertEquals(1, forwarder.counters().unknownArrival());
    }

    @Test
    void anEgressWithoutAnOpenPortOrThatRefusesIsCounted() {
        bothDownstreamsWant(GROUP);
        forwarder.detach(down2);
        down1.refuse = true;
        arrive(up0, fromSource(64, 20));
        assertEquals(1, counters("down2").notSent(DropReason.EGRESS_NOT_OPEN));
        assertEquals(1, counters("down1").notSent(DropReason.SEND_FAILED));
        assertEquals(0, counters("up0").forwarded());
    }

    @Test
    void aFullFlowTableReplacesTheFlowsSeenLeastRecently() {
        forwarder = newForwarder(ForwarderOptions.DEFAULTS.withFlowsPerInterface(8));
        bothDownstreamsWant(GROUP);
        for (int i = 0; i < 200; i++) {
            arrive(up0, Frames.udp(SOURCE_MAC, Ip4.of(100, 64, i / 250, i % 250 + 1), GROUP, 64, 20, i));
        }
        ForwardingCounters c = forwarder.counters();
        assertEquals(200, down1.sent.size(), "an untracked flow is still forwarded");
        assertTrue(c.flows().size() <= 16, "bounded: " + c.flows().size());
        assertTrue(c.flowsEvicted() >= 200 - 16, "evicted: " + c.flowsEvicted());
        assertTrue(c.flow("up0", Ip4.of(100, 64, 0, 200), GROUP).isPresent(), "the newest flow is tracked");
    }
}
