package dev.mcgate.forward;

import static dev.mcgate.forward.Frames6.ETH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 data path, frame in, frames out, through the same forwarder and table as IPv4: the bytes written (hop
 * limit, MACs, nothing else), the IPv6 drop rules, RPF with IPv6 subnets, the raw-IP link type both ways, and IPv4
 * and IPv6 flows side by side.
 *
 * <pre>
 *   2001:db8:0::10 --- up0 2001:db8:0::/64   [router]   down1 2001:db8:1::/64 --- 2001:db8:1::10
 *                                                         down2 2001:db8:2::/64
 *                                                         tun0 (raw IP)
 * </pre>
 */
class Ipv6ForwardingTest {

    static final Ip6 REMOTE = Ip6.parse("2001:db8::10");
    static final Ip6 FAR = Ip6.parse("2001:db8:ff::1");
    static final Ip6 RX1 = Ip6.parse("2001:db8:1::10");
    /** Global scope; its last four octets are all different, so the group MAC shows each. */
    static final Ip6 GROUP = Ip6.parse("ff0e::db8:1234:5678");

    static final Ip6 SITE_GROUP = Ip6.parse("ff05::db8:1");

    private long now = 5_000_000_000L;
    private final List<String> warnings = new ArrayList<>();
    private final RecordingPort up0 = new RecordingPort(Lab.UP0);
    private final RecordingPort down1 = new RecordingPort(Lab.DOWN1);
    private final RecordingPort down2 = new RecordingPort(Lab.DOWN2);
    private Forwarder forwarder;

    @BeforeEach
    void attach() {
        forwarder = new Forwarder(() -> now, ForwarderOptions.DEFAULTS, warnings::add);
        forwarder.attach(up0);
        forwarder.attach(down1);
        forwarder.attach(down2);
    }

    static InterfaceSpec v6(InterfaceSpec spec, String subnet) {
        return spec.withIpv6Subnets(List.of(Ip6Prefix.parse(subnet)));
    }

    static InterfaceSpec up0() {
        return v6(Lab.upstream(), "2001:db8::/64");
    }

    static InterfaceSpec down1() {
        return v6(Lab.down1(), "2001:db8:1::/64");
    }

    static InterfaceSpec down2() {
        return v6(Lab.down2(), "2001:db8:2::/64");
    }

    /** The configuration with these scope boundaries. */
    static InterfaceConfig withBoundaries(InterfaceConfig c, IpPrefix... boundaries) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                c.altnets(),
                c.groupFilter(),
                c.sourceFilter(),
                List.of(boundaries),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    private static ForwardingTableBuilder standard() {
        return new ForwardingTableBuilder().add(up0()).add(down1()).add(down2());
    }

    private void bothDownstreamsWant(IpAddress... groups) {
        ForwardingTableBuilder b = standard();
        Map<IpAddress, Subscription> wanted = new java.util.HashMap<>();
        for (IpAddress g : groups) {
            wanted.put(g, Subscription.ANY_SOURCE);
        }
        forwarder.publish(
                b.membership("down1", wanted).membership("down2", wanted).build());
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

    private static byte[] fromRemote(Ip6 group, int hopLimit, int payload, int seed) {
        return Frames6.udp(Lab.SOURCE_MAC, REMOTE, group, hopLimit, payload, seed);
    }

    @Test
    void rewritesMacsAndHopLimitAndNothingElse() {
        bothDownstreamsWant(GROUP);
        byte[] in = fromRemote(GROUP, 64, 100, 7);

        arrive(up0, in);

        for (RecordingPort port : List.of(down1, down2)) {
            byte[] out = port.only();
            assertEquals(in.length, out.length);
            assertArrayEquals(
                    new byte[] {0x33, 0x33, 0x12, 0x34, 0x56, 0x78},
                    Arrays.copyOfRange(out, 0, 6),
                    "RFC 2464 §7: 33:33 and the group's low 32 bits");
            assertArrayEquals(
                    port.netInterface().mac().orElseThrow().toBytes(),
                    Arrays.copyOfRange(out, 6, 12),
                    "source MAC is the egress interface's");
            assertEquals(0x86dd, Frames6.u16(out, 12));
            assertEquals(63, Frames6.hopLimit(out, ETH));
            byte[] expected = Arrays.copyOfRange(in, ETH, in.length);
            expected[7] = 63;
            assertArrayEquals(expected, Arrays.copyOfRange(out, ETH, out.length), "only the hop limit changes");
            assertTrue(Frames6.udpChecksumVerifies(out, ETH), "UDP checksum (pseudo-header) still verifies");
        }
        assertEquals(0, up0.sent.size(), "never back out of the arrival interface");
        FlowCounters flow = forwarder.counters().flow("up0", REMOTE, GROUP).orElseThrow();
        assertEquals(1, flow.forwarded());
        assertEquals(2, flow.copiesSent());
        assertEquals(in.length - ETH, flow.bytes(), "IP octets: fixed header and payload");
    }

    @Test
    void aLinkLocalOrUnspecifiedSourceIsNeverForwarded() {
        bothDownstreamsWant(GROUP);

        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, Ip6.parse("fe80::10"), GROUP, 64, 20, 1));
        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, Ip6.parse("febf::1"), GROUP, 64, 20, 2));
        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, Ip6.UNSPECIFIED, GROUP, 64, 20, 3));
        assertEquals(0, down1.sent.size() + down2.sent.size(), "RFC 4291 §2.5.6: never beyond the link");
        assertEquals(3, counters("up0").dropped(DropReason.LINK_LOCAL_SOURCE));

        // fec0::/10 (the old site-local range) is not link-local: it is forwarded as any other source.
        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, Ip6.parse("fec0::1"), GROUP, 64, 20, 4));
        assertEquals(1, down1.sent.size());
        assertEquals(3, counters("up0").dropped(DropReason.LINK_LOCAL_SOURCE));
    }

    @Test
    void hopLimitOneIsDroppedAndTwoLeavesWithOne() {
        bothDownstreamsWant(GROUP);

        arrive(up0, fromRemote(GROUP, 1, 20, 1));
        arrive(up0, fromRemote(GROUP, 0, 20, 2));
        assertEquals(0, down1.sent.size());
        assertEquals(2, counters("up0").dropped(DropReason.TTL_EXPIRED));

        arrive(up0, fromRemote(GROUP, 2, 20, 3));
        assertEquals(1, Frames6.hopLimit(down1.only(), ETH));
    }

    @Test
    void interfaceAndLinkLocalScopesAreNeverForwarded() {
        Ip6 linkLocal = Ip6.parse("ff02::db8:1");
        Ip6 interfaceLocal = Ip6.parse("ff01::db8:1");
        Ip6 reserved = Ip6.parse("ff00::db8:1");
        // Even with members (the builder ignores them; the path must not depend on that).
        bothDownstreamsWant(linkLocal, interfaceLocal, reserved, GROUP);

        arrive(up0, fromRemote(linkLocal, 64, 20, 1));
        arrive(up0, fromRemote(interfaceLocal, 64, 20, 2));
        arrive(up0, fromRemote(reserved, 64, 20, 3));
        assertEquals(0, down1.sent.size() + down2.sent.size());
        assertEquals(3, counters("up0").dropped(DropReason.LINK_LOCAL_GROUP));

        arrive(up0, fromRemote(GROUP, 64, 20, 4));
        assertEquals(1, down1.sent.size(), "a global-scope group on the same path is forwarded");
    }

    @Test
    void aBoundaryKeepsSiteScopeOffItsInterfaceOnly() {
        InterfaceSpec bounded = down1().withQuerier(true);
        bounded = new InterfaceSpec(
                        bounded.netInterface(),
                        withBoundaries(bounded.config(), Ip6Prefix.parse("ff05::/16")),
                        true,
                        false,
                        false,
                        true)
                .withIpv6Subnets(bounded.ipv6Subnets());
        Map<IpAddress, Subscription> both = Map.of(SITE_GROUP, Subscription.ANY_SOURCE, GROUP, Subscription.ANY_SOURCE);
        forwarder.publish(new ForwardingTableBuilder()
                .add(up0())
                .add(bounded)
                .add(down2())
                .membership("down1", both)
                .membership("down2", both)
                .build());

        arrive(up0, fromRemote(SITE_GROUP, 64, 20, 1));
        assertEquals(0, down1.sent.size(), "ff05::/16 stops at down1's boundary");
        assertEquals(1, down2.sent.size());
        assertEquals(1, counters("down1").notSent(DropReason.SCOPE_BOUNDARY));

        arrive(up0, fromRemote(GROUP, 64, 20, 2));
        assertEquals(1, down1.sent.size(), "a global group crosses it");
    }

    @Test
    void anOversizedDatagramIsDroppedPerEgressAndNeverFragmented() {
        forwarder.publish(new ForwardingTableBuilder()
                .add(up0())
                .add(down1())
                .add(v6(
                        InterfaceSpec.of(Lab.withMtu(Lab.DOWN2, 1280), Lab.config("down2", Role.DOWNSTREAM)),
                        "2001:db8:2::/64"))
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        // 40 + 8 + 1233 = 1281 octets: one over down2's MTU; 1280 fits exactly.
        arrive(up0, fromRemote(GROUP, 64, 1233, 1));
        assertEquals(1, down1.sent.size());
        assertEquals(0, down2.sent.size());
        assertEquals(1, counters("down2").notSent(DropReason.MTU_EXCEEDED));
        assertEquals(1, warnings.size(), "the operator is told once");

        arrive(up0, fromRemote(GROUP, 64, 1232, 2));
        assertEquals(1280 + ETH, down2.only().length);
    }

    @Test
    void aRemoteSourceIsAcceptedOnlyOnItsUpstream() {
        bothDownstreamsWant(GROUP);

        arrive(down2, fromRemote(GROUP, 64, 20, 1));
        arrive(down1, Frames6.udp(Lab.SOURCE_MAC, FAR, GROUP, 64, 20, 2));
        assertEquals(0, up0.sent.size() + down1.sent.size() + down2.sent.size());
        assertEquals(1, counters("down2").dropped(DropReason.RPF_FAILED));
        assertEquals(1, counters("down1").dropped(DropReason.RPF_FAILED));

        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, FAR, GROUP, 64, 20, 3));
        assertEquals(1, down1.sent.size(), "a far source is accepted on the group's upstream");
    }

    @Test
    void aLocalSourceGoesUpstreamAndToOtherMembersButNeverBack() {
        bothDownstreamsWant(GROUP);
        byte[] local = Frames6.udp(Lab.RX1_MAC, RX1, GROUP, 64, 20, 1);

        arrive(down1, local);
        assertEquals(1, up0.sent.size(), "RFC 4605 §4.2: a local source goes upstream");
        assertEquals(1, down2.sent.size());
        assertEquals(0, down1.sent.size(), "never back to its own LAN");

        arrive(down2, Frames6.udp(Lab.RX1_MAC, RX1, GROUP, 64, 20, 2));
        assertEquals(1, counters("down2").dropped(DropReason.RPF_FAILED), "down1's source on down2: RPF fails");
        assertEquals(1, up0.sent.size());
    }

    @Test
    void anIncludeSubscriptionForwardsOnlyItsIpv6Sources() {
        forwarder.publish(standard()
                .membership("down1", Map.of(GROUP, Subscription.include(SourceSet.of(REMOTE))))
                .membership("down2", Map.of(GROUP, Subscription.exclude(SourceSet.of(REMOTE))))
                .build());

        arrive(up0, fromRemote(GROUP, 64, 20, 1));
        arrive(up0, Frames6.udp(Lab.SOURCE_MAC, Ip6.parse("2001:db8::11"), GROUP, 64, 20, 2));

        assertEquals(1, down1.sent.size(), "INCLUDE {REMOTE}");
        assertEquals(Ip6.fromBytes(down1.only(), ETH + 8), REMOTE);
        assertEquals(1, down2.sent.size(), "EXCLUDE {REMOTE}");
        assertEquals(Ip6.parse("2001:db8::11"), Ip6.fromBytes(down2.only(), ETH + 8));
    }

    @Test
    void rawIpInAndOutBothWays() {
        RecordingPort tun0 = new RecordingPort(Lab.TUN0);
        forwarder.attach(tun0);
        forwarder.publish(standard()
                .add(v6(Lab.tun0(Role.DOWNSTREAM), "2001:db8:9::/64"))
                .membership("tun0", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        byte[] in = fromRemote(GROUP, 64, 30, 1);
        arrive(up0, in);
        byte[] raw = tun0.only();
        byte[] expected = Arrays.copyOfRange(in, ETH, in.length);
        expected[7] = 63;
        assertArrayEquals(expected, raw, "Ethernet in, raw IP out: the IPv6 packet alone");

        // A source on tun0's subnet, arriving bare, leaves as Ethernet with 0x86dd and the group MAC.
        byte[] fromTun = Frames6.udpPacket(Ip6.parse("2001:db8:9::2"), GROUP, 9, 30, 2);
        arrive(tun0, fromTun);
        byte[] out = down1.sent.get(1);
        assertEquals(fromTun.length + ETH, out.length);
        assertArrayEquals(Frames6.groupMac(GROUP).toBytes(), Arrays.copyOfRange(out, 0, 6));
        assertArrayEquals(Lab.DOWN1_MAC.toBytes(), Arrays.copyOfRange(out, 6, 12));
        assertEquals(0x86dd, Frames6.u16(out, 12));
        assertEquals(8, Frames6.hopLimit(out, ETH));
        assertTrue(Frames6.udpChecksumVerifies(out, ETH));
    }

    @Test
    void mldIsControlTrafficNeverForwarded() {
        bothDownstreamsWant(GROUP);
        Ip6 host = Ip6.parse("fe80::1");
        // An MLDv1 report goes to the group itself; a sloppy one with hop limit 64 must still not be forwarded.
        for (int type : new int[] {130, 131, 132, 143}) {
            arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, Frames6.groupMac(GROUP), Frames6.icmp(host, GROUP, 64, type)));
        }
        assertEquals(0, down1.sent.size());
        assertEquals(4, counters("up0").dropped(DropReason.MLD));
        // Other ICMPv6 to a group is data like any other (an echo request from a remote source).
        arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, Frames6.groupMac(GROUP), Frames6.icmp(REMOTE, GROUP, 64, 128)));
        assertEquals(1, down1.sent.size());
    }

    @Test
    void fragmentsAreForwardedAsTheirFlowsAndBadOnesDropped() {
        bothDownstreamsWant(GROUP);
        MacAddress mac = Frames6.groupMac(GROUP);

        arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, mac, Frames6.fragment(REMOTE, GROUP, 64, 0, true, 77, 1232)));
        arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, mac, Frames6.fragment(REMOTE, GROUP, 64, 1232, false, 77, 100)));
        assertEquals(2, down1.sent.size(), "the first and a later fragment, by the same (S,G)");
        assertEquals(
                2, forwarder.counters().flow("up0", REMOTE, GROUP).orElseThrow().forwarded());

        // Not the last, but not a multiple of 8 octets; and one whose reassembly would pass 65535 octets.
        arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, mac, Frames6.fragment(REMOTE, GROUP, 64, 0, true, 78, 100)));
        arrive(up0, Frames6.ethernet(Lab.SOURCE_MAC, mac, Frames6.fragment(REMOTE, GROUP, 64, 65528, false, 79, 16)));
        assertEquals(2, down1.sent.size());
        assertEquals(2, counters("up0").dropped(DropReason.BAD_FRAGMENT));
    }

    @Test
    void aDatagramDeliveredTwiceIsForwardedOnce() {
        bothDownstreamsWant(GROUP);
        byte[] in = fromRemote(GROUP, 64, 50, 1);
        arrive(up0, in);
        byte[] again = in.clone();
        again[ETH + 7] = 63; // a second path, one hop longer
        arrive(up0, again);
        assertEquals(1, down1.sent.size());
        assertEquals(1, counters("up0").dropped(DropReason.DUPLICATE));
        arrive(up0, fromRemote(GROUP, 64, 50, 2));
        assertEquals(2, down1.sent.size(), "the next datagram of the flow is not a duplicate");
    }

    @Test
    void truncatedAndMalformedPacketsAreCountedDrops() {
        bothDownstreamsWant(GROUP);
        byte[] in = fromRemote(GROUP, 64, 50, 1);
        arrive(up0, Arrays.copyOf(in, in.length - 1));
        byte[] badChain =
                Frames6.ethernet(Lab.SOURCE_MAC, Frames6.groupMac(GROUP), Frames6.udpPacket(REMOTE, GROUP, 64, 4, 1));
        badChain[ETH + 6] = 60; // Destination Options claiming (255 + 1) × 8 octets
        badChain[ETH + 41] = (byte) 255;
        arrive(up0, badChain);
        byte[] unicast = fromRemote(GROUP, 64, 20, 2);
        Ip6.parse("2001:db8:1::10").writeTo(unicast, ETH + 24);
        arrive(up0, unicast);

        assertEquals(1, counters("up0").dropped(DropReason.BAD_IP_HEADER));
        assertEquals(1, counters("up0").dropped(DropReason.BAD_EXTENSION_HEADERS));
        assertEquals(1, counters("up0").dropped(DropReason.NOT_MULTICAST));
        assertEquals(0, down1.sent.size());
    }

    @Test
    void ipv4AndIpv6FlowsShareOneTable() {
        bothDownstreamsWant(GROUP, Lab.GROUP);
        for (int i = 0; i < 10; i++) {
            arrive(up0, fromRemote(GROUP, 64, 40, i));
            arrive(up0, Frames.udp(Lab.SOURCE_MAC, Lab.REMOTE_SOURCE, Lab.GROUP, 64, 40, i));
        }
        assertEquals(20, down1.sent.size());
        for (int i = 0; i < 20; i++) {
            byte[] out = down1.sent.get(i);
            assertEquals(i % 2 == 0 ? 0x86dd : 0x0800, Frames6.u16(out, 12), "in arrival order");
        }
        ForwardingCounters c = forwarder.counters();
        assertEquals(10, c.flow("up0", REMOTE, GROUP).orElseThrow().forwarded());
        assertEquals(
                10, c.flow("up0", Lab.REMOTE_SOURCE, Lab.GROUP).orElseThrow().forwarded());
        assertEquals(20, counters("up0").forwarded());
        assertEquals(
                List.of(Lab.GROUP, GROUP),
                List.copyOf(forwarder.table().memberships().keySet()),
                "one table holds both groups, IPv4 first");
    }
}
