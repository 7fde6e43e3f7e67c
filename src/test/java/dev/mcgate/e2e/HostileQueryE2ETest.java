package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.EthernetHeader;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpMessageEncoder;
import dev.mcgate.packet.IgmpPacket;
import dev.mcgate.packet.IpOption;
import dev.mcgate.packet.Ipv4Header;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forged IGMP from a host on a downstream LAN and on the upstream, injected as raw frames from the hosts' namespaces
 * against a running mcgate (pcap engine): the RFC 9776 input rules drop and count them, a forged query that passes
 * them holds mcgate as non-querier only for the capped interval, VLAN-tagged reports are not taken as the parent
 * LAN's, and the upstream attack leaves the host side in IGMPv3.
 */
@EndToEnd
class HostileQueryE2ETest {

    private static final long START_MS = 20_000;
    private static final String SHORT_INTERVALS = """
            defaults {
                query-interval 2s
                query-response-interval 1s
            %s}
            """;
    /** QRV 7, QQIC 255 (31744 s): uncapped, one such query held mcgate silent for about 62 hours. */
    private static final V3Query FORGED = V3Query.general(100, 7, 31744);

    private static final Ip4 GROUP = Ip4.parse("239.1.1.1");

    @Test
    void forgedQueriesAreDroppedAndCountedAndForwardingGoesOn(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rx1 = lab.topology().receiver(1);
            Path socket = start(lab, dir);
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(true, "198.51.100.1").get(), 5_000);
            try (TestLab.Membership m = lab.join(1, GROUP, 5001, Optional.empty())) {
                TestLab.awaitGroup(socket, "down1", GROUP, 5_000);
                assertTrue(forwarded(lab, m), "forwarding before the attack");

                MacAddress mac = lab.netInterface(rx1, "eth0").mac().orElseThrow();
                InterfacePort wire = lab.openPcap(rx1, "eth0", CaptureFilter.NOTHING, (p, f, l) -> {});
                Ip4 below = Ip4.parse("198.51.100.0"); // on the subnet, and lower than mcgate's 198.51.100.1
                inject(wire, mac, packet(1, true, Ip4.parse("0.0.0.1"), Ip4.ALL_SYSTEMS, FORGED));
                inject(wire, mac, packet(1, true, Ip4.parse("192.0.2.9"), Ip4.ALL_SYSTEMS, FORGED));
                inject(wire, mac, packet(2, true, below, Ip4.ALL_SYSTEMS, FORGED));
                inject(wire, mac, packet(1, false, below, Ip4.ALL_SYSTEMS, FORGED));

                awaitCounter(socket, "igmp_input_query_off_subnet_dropped", "down1", 2);
                awaitCounter(socket, "igmp_input_ttl_not_1_dropped", "down1", 1);
                awaitCounter(socket, "igmp_input_no_router_alert_dropped", "down1", 1);
                Map<String, Object> down1 = downstream(socket, "down1");
                assertEquals(Boolean.TRUE, at(down1, "querier", "this_router"), down1.toString());
                assertTrue(forwarded(lab, m), "still forwarding after the dropped queries");

                // A forged query that passes every rule (on the subnet, TTL 1, Router Alert) wins the election, but
                // its QRV 7 / QQIC 255 are adopted only up to 4 and 250 s: Other Querier Present Interval
                // 4 x 250 s + 1 s / 2 = 1000.5 s, where uncapped it was 7 x 31744 s + 0.5 s.
                long sent = System.nanoTime();
                inject(wire, mac, packet(1, true, below, Ip4.ALL_SYSTEMS, FORGED));
                TestLab.awaitQuerier(socket, "down1", new QuerierOf(false, "198.51.100.0").get(), 5_000);
                down1 = downstream(socket, "down1");
                double held = (Double) at(down1, "querier", "other_querier_present_seconds");
                double elapsed = (System.nanoTime() - sent) / 1e9;
                System.out.printf(
                        "hostile queries e2e: forged on-subnet query holds mcgate as non-querier for %.1f s more"
                                + " (robustness %s, query interval %s s)%n",
                        held, at(down1, "robustness"), at(down1, "query_interval_seconds"));
                assertEquals(4.0, at(down1, "robustness"));
                assertEquals(250.0, at(down1, "query_interval_seconds"));
                assertTrue(held <= 1000.5 && held >= 1000.5 - elapsed - 1, "held " + held);
                String log = Files.readString(dir.resolve("mcgate.log"), StandardCharsets.UTF_8);
                assertTrue(log.contains("WARN") && log.contains("down1: 198.51.100.0 took over as querier"), log);
            }
        }
    }

    /**
     * The caps are configuration: with max-adopted-robustness 2 and max-adopted-query-interval 3s, the same forged
     * query holds mcgate as non-querier for 2 x 3 s + 1 s / 2 = 6.5 s, and then it is querier again on its own.
     */
    @Test
    void configuredCapsBoundHowLongAForgedQueryHolds(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rx1 = lab.topology().receiver(1);
            Path socket = start(lab, dir, "    max-adopted-robustness 2\n    max-adopted-query-interval 3s\n");
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(true, "198.51.100.1").get(), 5_000);
            MacAddress mac = lab.netInterface(rx1, "eth0").mac().orElseThrow();
            InterfacePort wire = lab.openPcap(rx1, "eth0", CaptureFilter.NOTHING, (p, f, l) -> {});
            long sent = System.nanoTime();
            inject(wire, mac, packet(1, true, Ip4.parse("198.51.100.0"), Ip4.ALL_SYSTEMS, FORGED));
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(false, "198.51.100.0").get(), 5_000);
            Map<String, Object> down1 = downstream(socket, "down1");
            assertEquals(2.0, at(down1, "robustness"));
            assertEquals(3.0, at(down1, "query_interval_seconds"));
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(true, "198.51.100.1").get(), 15_000);
            double back = (System.nanoTime() - sent) / 1e9;
            System.out.printf(
                    "hostile queries e2e: with caps 2 and 3 s, a forged QRV 7 / QQIC 255 query held mcgate as"
                            + " non-querier for %.2f s (configured protection 6.5 s)%n",
                    back);
            assertTrue(back >= 6.4 && back < 10, "querier again after " + back + " s");
        }
    }

    @Test
    void vlanTaggedReportsAreNotTakenAsTheParentLans(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rx1 = lab.topology().receiver(1);
            Path socket = start(lab, dir);
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(true, "198.51.100.1").get(), 5_000);
            MacAddress mac = lab.netInterface(rx1, "eth0").mac().orElseThrow();
            InterfacePort wire = lab.openPcap(rx1, "eth0", CaptureFilter.NOTHING, (p, f, l) -> {});
            Ip4 host = LabTopology.RX1_LINK.hostAddress();
            Ip4 tagged = Ip4.parse("239.5.5.5");
            Ip4 untagged = Ip4.parse("239.6.6.6");

            inject(wire, mac, packet(1, true, host, Ip4.ALL_IGMPV3_ROUTERS, join(tagged)), 5);
            inject(wire, mac, packet(1, true, host, Ip4.ALL_IGMPV3_ROUTERS, join(untagged)));

            TestLab.awaitGroup(socket, "down1", untagged, 5_000);
            Map<String, Object> down1 = downstream(socket, "down1");
            assertFalse(down1.toString().contains(tagged.toString()), down1.toString());
            // The pcap engine's kernel filter left it out ("not vlan"): it never reached the intake's own check.
            assertEquals(0.0, counter(socket, "igmp_input_vlan_tagged_dropped", "down1"));
        }
    }

    @Test
    void theUpstreamAttackLeavesTheHostSideInV3(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String src = lab.topology().source();
            Path socket = start(lab, dir);
            TestLab.awaitQuerier(socket, "down1", new QuerierOf(true, "198.51.100.1").get(), 5_000);
            MacAddress mac = lab.netInterface(src, "eth0").mac().orElseThrow();
            MacAddress routerMac =
                    lab.netInterface(lab.topology().router(), "up0").mac().orElseThrow();
            Ip4 routerAddress = LabTopology.SOURCE_LINK.routerAddress();
            Ip4 querier = LabTopology.SOURCE_LINK.hostAddress();
            InterfacePort wire = lab.openPcap(src, "eth0", CaptureFilter.NOTHING, (p, f, l) -> {});

            // The attack, unicast to the router's own address: v3 with QRV 7 / QQIC 255, then v1.
            inject(wire, mac, routerMac, packet(1, true, querier, routerAddress, FORGED));
            inject(wire, mac, routerMac, packet(1, true, querier, routerAddress, V1Query.GENERAL));

            awaitCounter(socket, "igmp_input_bad_destination_dropped", "up0", 2);
            assertEquals(3.0, at(upstream(socket, "up0"), "compatibility_version"));

            // The control: the same v1 query to 224.0.0.1 is a real querier's, and does switch the host side (for at
            // most the capped Older Version Querier Present Timeout, 4 x 125 s + 10 s here).
            inject(wire, mac, packet(1, true, querier, Ip4.ALL_SYSTEMS, V1Query.GENERAL));
            TestLab.awaitAnswer(
                    socket,
                    "in IGMPv1 mode on up0",
                    5_000,
                    p -> at(upstream(socket, "up0"), "compatibility_version"),
                    v -> Double.valueOf(1.0).equals(v));
        }
    }

    private static Path start(TestLab lab, Path dir) throws Exception {
        return start(lab, dir, "");
    }

    /** With {@code defaults} lines added (each indented and ending in a newline). */
    private static Path start(TestLab lab, Path dir, String moreDefaults) throws Exception {
        Path config = dir.resolve("mcgate.conf");
        Files.writeString(
                config, SHORT_INTERVALS.formatted(moreDefaults) + lab.topology().routerConfig());
        Path log = dir.resolve("mcgate.log");
        lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
        TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
        return TestLab.controlSocketFor(log);
    }

    /** A datagram from the source reaches receiver 1 within a second. */
    private static boolean forwarded(TestLab lab, TestLab.Membership m) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            lab.sendFromSource(GROUP, 5001, "hello".getBytes(StandardCharsets.US_ASCII), 8);
            if (m.receive(1_000).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static V3MembershipReport join(Ip4 group) {
        return new V3MembershipReport(List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, group, List.of())));
    }

    private static IgmpPacket packet(int ttl, boolean routerAlert, Ip4 source, Ip4 destination, IgmpMessage message) {
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

    private static void inject(InterfacePort wire, MacAddress from, IgmpPacket packet) {
        inject(wire, from, MacAddress.forGroup(packet.destination()), packet, EthernetHeader.NO_VLAN);
    }

    private static void inject(InterfacePort wire, MacAddress from, IgmpPacket packet, int vlanTci) {
        inject(wire, from, MacAddress.forGroup(packet.destination()), packet, vlanTci);
    }

    private static void inject(InterfacePort wire, MacAddress from, MacAddress to, IgmpPacket packet) {
        inject(wire, from, to, packet, EthernetHeader.NO_VLAN);
    }

    private static void inject(InterfacePort wire, MacAddress from, MacAddress to, IgmpPacket packet, int vlanTci) {
        byte[] frame = new IgmpFrame(
                        Optional.of(new EthernetHeader(to, from, vlanTci, EthernetHeader.ETHERTYPE_IPV4)), packet)
                .encode();
        assertTrue(wire.send(frame, frame.length), "injected");
    }

    private static Object json(Path socket, String... command) {
        String[] args = new String[command.length + 3];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--json";
        args[command.length + 1] = "--socket";
        args[command.length + 2] = socket.toString();
        CommandLineTest.Run r = CommandLineTest.mcgate(args);
        assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.err());
        return MiniJson.parse(r.out());
    }

    private static Map<String, Object> downstream(Path socket, String name) {
        return one(at(json(socket, "groups"), "downstreams"), name);
    }

    private static Map<String, Object> upstream(Path socket, String name) {
        return one(at(json(socket, "groups"), "upstreams"), name);
    }

    private static Map<String, Object> one(Object list, String name) {
        return array(list).stream()
                .map(MiniJson::object)
                .filter(o -> name.equals(o.get("interface")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + list));
    }

    /** A counter's value on an interface, from {@code counters --json}. */
    private static double counter(Path socket, String metric, String ifName) {
        for (Object family : array(at(json(socket, "counters"), "counters"))) {
            if (metric.equals(object(family).get("name"))) {
                for (Object v : array(at(family, "values"))) {
                    if (ifName.equals(at(v, "labels", "interface"))) {
                        return (Double) at(v, "value");
                    }
                }
                return 0;
            }
        }
        throw new AssertionError("no counter " + metric);
    }

    private static void awaitCounter(Path socket, String metric, String ifName, double wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double last;
        do {
            last = counter(socket, metric, ifName);
            if (last == wanted) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(metric + "{" + ifName + "} is " + last + ", not " + wanted);
    }

    /** The querier as the probe names it. */
    private record QuerierOf(boolean thisRouter, String address) {
        dev.mcgate.lab.ControlSocketProbe.Querier get() {
            return new dev.mcgate.lab.ControlSocketProbe.Querier(thisRouter, address);
        }
    }
}
