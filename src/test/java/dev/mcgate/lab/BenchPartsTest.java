package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.config.TunnelConfig;
import dev.mcgate.control.JsonReport;
import dev.mcgate.control.Snapshots;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.tunnel.TunnelWire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pure pieces of the benchmark: configurations, command lines, report frames, machine description. */
class BenchPartsTest {

    private static final List<Ip4> GROUPS = List.of(Ip4.parse("239.7.0.0"), Ip4.parse("239.7.0.1"));

    @Test
    void smcrouteGetsOneStaticRoutePerGroupToTheChosenReceivers() {
        assertEquals("""
                # written by mcgate lab bench
                mroute from up0 group 239.7.0.0 to down1 down2
                mroute from up0 group 239.7.0.1 to down1 down2
                """, SmcrouteUnderTest.config(List.of(1, 2), GROUPS));
        assertTrue(SmcrouteUnderTest.config(List.of(1), GROUPS).contains("group 239.7.0.1 to down1\n"));
    }

    @Test
    void iperfSplitsTheRateOverOneClientPerGroup() {
        String line = IperfSender.commandLine(GROUPS, 50_000, 1316, 0.5);
        assertEquals(
                "iperf -u -c 239.7.0.0 -p 5001 -T 32 -b 25000pps -l 1316 -t 0.50 >/dev/null 2>&1 & "
                        + "iperf -u -c 239.7.0.1 -p 5001 -T 32 -b 25000pps -l 1316 -t 0.50 >/dev/null 2>&1 & wait",
                line);
    }

    @Test
    void anIpv6IperfClientSendsOnTheLabsLinkNotWhereverTheRoutePointsFirst() {
        String line = IperfSender.commandLine(JoinLeaveProbe.groups6(2), 1000, 64, 1);
        assertEquals(
                "iperf -u -V -c ff1e::7:2:0%eth0 -p 5001 -T 32 -b 500pps -l 64 -t 1.00 >/dev/null 2>&1 & "
                        + "iperf -u -V -c ff1e::7:2:1%eth0 -p 5001 -T 32 -b 500pps -l 64 -t 1.00 >/dev/null 2>&1 & wait",
                line);
    }

    /** A raw IPv6 packet to {@code destination}: the fixed header, then 8 octets of {@code nextHeader}'s header. */
    private static byte[] ipv6(Ip6 destination, int nextHeader) {
        byte[] b = new byte[48];
        b[0] = 0x60;
        b[5] = 8;
        b[6] = (byte) nextHeader;
        b[7] = 31;
        LabTopology.SOURCE_LINK.hostAddress6().writeTo(b, 8);
        destination.writeTo(b, 24);
        return b;
    }

    @Test
    void theMldJoinProbeTellsItsGroupsApartByTheirDistanceFromTheFirst() {
        List<IpAddress> groups = JoinLeaveProbe.groups6(20);
        JoinLeaveProbe.GroupIndex index = new JoinLeaveProbe.GroupIndex(groups.get(0));
        for (int i : List.of(0, 1, 19)) {
            byte[] p = ipv6((Ip6) groups.get(i), 17);
            assertEquals(i, index.of(p, p.length, LinkType.RAW_IP));
        }
        Ip6 first = (Ip6) groups.get(0);
        byte[] below = ipv6(new Ip6(first.high(), first.low() - 1), 17);
        byte[] otherHigh = ipv6(new Ip6(first.high() + 1, first.low()), 17);
        // An MLD report to the group is ICMPv6, not the stream.
        byte[] mld = ipv6(first, 58);
        for (byte[] p : List.of(below, otherHigh, mld)) {
            assertEquals(-1, index.of(p, p.length, LinkType.RAW_IP));
        }
    }

    @Test
    void trafgenSendsOneValidFramePerGroupInTurn() {
        String conf = TrafgenSender.config(
                dev.mcgate.net.MacAddress.parse("02:00:00:00:00:0a"), Ip4.parse("192.0.2.10"), GROUPS, 64);
        List<String> frames = conf.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(2, frames.size(), conf);
        // The group's MAC: 01:00:5e and the low 23 bits of the group; an IP identification that counts, so that no two
        // frames are the same datagram to mcgate's duplicate guard.
        assertEquals(
                "{ eth(da=01:00:5e:07:00:01, sa=02:00:00:00:00:0a), ipv4(saddr=192.0.2.10, daddr=239.7.0.1, "
                        + "ttl=32, id=dinc()), udp(sport=40000, dport=5001), fill(0x5a, 64) }",
                frames.get(1));
    }

    @Test
    void tbfOffersTheRateInFramesOnTheWireWithAShortQueue() {
        // 64-byte payloads are 106-byte frames: 100 000 of them a second are 84.8 Mbit/s.
        List<String> tbf = TrafgenSender.tbfArguments(IpFamily.IPV4, 100_000, 64);
        // The bucket holds a millisecond's worth (100 frames), the queue 48 frames.
        assertEquals(List.of("tbf", "rate", "84800000bit", "burst", "10600", "limit", "5088"), tbf);
        // At a low rate the bucket still holds 32 frames: tbf's timer fires late on a busy CPU.
        List<String> slow = TrafgenSender.tbfArguments(IpFamily.IPV4, 10, 1316);
        assertEquals(Long.toString(32 * 1358L), slow.get(4));
        assertEquals(Long.toString(TrafgenSender.QUEUE_FRAMES * 1358L), slow.get(6));
    }

    @Test
    void theBridgeTakesEveryRouterInterfaceAsAPortAndIsTheQuerier() {
        List<List<String>> commands = BridgeUnderTest.setUpCommands();
        List<String> create = commands.get(0);
        assertEquals(List.of("link", "add", BridgeUnderTest.BRIDGE_IF, "type", "bridge"), create.subList(0, 5));
        assertEquals("1", create.get(create.indexOf("mcast_snooping") + 1));
        assertEquals("100", create.get(create.indexOf("mcast_query_response_interval") + 1));
        // The querier only after the response interval is set: the kernel arms its start-up delay with it.
        assertEquals(
                List.of("link", "set", BridgeUnderTest.BRIDGE_IF, "type", "bridge", "mcast_querier", "1"),
                commands.get(1));
        assertEquals("3", create.get(create.indexOf("mcast_igmp_version") + 1), "a v2 query would push hosts to v2");
        assertEquals(List.of("up0", "down1", "down2"), BridgeUnderTest.ports());
        for (String port : BridgeUnderTest.ports()) {
            assertTrue(commands.contains(List.of("link", "set", port, "master", BridgeUnderTest.BRIDGE_IF)), port);
        }
        assertEquals(List.of("link", "set", BridgeUnderTest.BRIDGE_IF, "up"), commands.get(commands.size() - 1));
    }

    @Test
    void benchConfigurationIsValidWithFastLeaveOnDown2Only() throws Exception {
        Path dir = Path.of("/run/mcgate-lab/bench-bench");
        McgateConfig config = ConfigLoader.parse(
                        BenchLab.config(new LabTopology("bench"), dir, true), "bench.conf", Format.NATIVE)
                .config();
        assertFalse(config.interfaceFor("down1").fastLeave());
        assertTrue(config.interfaceFor("down2").fastLeave());
        assertEquals("up0", config.interfaces().get(0).name());
        // Not the default socket: a daemon on the machine must not clash with the bench's mcgate.
        assertEquals(dir.resolve("mcgate.sock"), config.global().controlSocket());
    }

    @Test
    void down1HoldsEveryGroupTheFullPlanJoinsAtItsFastestReportRate() throws Exception {
        McgateConfig config = ConfigLoader.parse(
                        BenchLab.config(new LabTopology("bench"), Path.of("/run/mcgate-lab/x"), true),
                        "bench.conf",
                        Format.NATIVE)
                .config();
        BenchPlan plan = BenchPlan.full();
        // The memory load, each report-rate step's new groups and the capacity groups are all on down1 at once.
        int groups = plan.hosts() * plan.groupsPerHost() + plan.reportRates().size() * plan.reportsPerStep() + 100;
        var limits = config.interfaceFor("down1").limits();
        assertTrue(limits.maxGroups() >= groups, limits + " for " + groups + " groups");
        int fastest =
                plan.reportRates().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(limits.igmpRate() >= fastest, limits + " for " + fastest + " reports/s");
    }

    @Test
    void tunnelGatewaysArePeersOfEachOtherWithOppositeRolesAndOneKey(@TempDir Path dir) throws Exception {
        LabTopology topology = new LabTopology("bench");
        // The parser checks the key file: 32 octets in base64, as the bench writes it.
        Files.writeString(BenchTunnelPath.keyFile(dir), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        McgateConfig a = ConfigLoader.parse(BenchTunnelPath.gatewayAConfig(topology, dir), "a.conf", Format.NATIVE)
                .config();
        McgateConfig b = ConfigLoader.parse(BenchTunnelPath.gatewayBConfig(topology, dir), "b.conf", Format.NATIVE)
                .config();
        TunnelConfig ta = a.tunnel(BenchTunnelPath.TUNNEL).orElseThrow();
        TunnelConfig tb = b.tunnel(BenchTunnelPath.TUNNEL).orElseThrow();
        assertEquals(Role.DOWNSTREAM, ta.role());
        assertEquals(Role.UPSTREAM, tb.role());
        assertEquals(ta.localAddress(), tb.peerAddress());
        assertEquals(tb.localAddress(), ta.peerAddress());
        assertEquals(ta.localPort(), tb.peerPort());
        assertEquals(ta.keyFile(), tb.keyFile());
        // The source's LAN is A's upstream; B's only interface is its receiver's LAN.
        assertEquals(
                List.of(LabTopology.UPSTREAM_IF),
                a.withRole(Role.UPSTREAM).stream().map(i -> i.name()).toList());
        assertEquals(
                List.of(BenchTunnelPath.GATEWAY_B_DOWNSTREAM),
                b.interfaces().stream().map(i -> i.name()).toList());
        assertFalse(a.global().controlSocket().equals(b.global().controlSocket()));
        // The bench's largest datagram fits the tunnel's inner MTU: it measures forwarding, not the drop policy.
        assertTrue(TunnelWire.innerMtu(ta.mtu()) >= 1316 + 28, "inner MTU " + TunnelWire.innerMtu(ta.mtu()));
        // The bench waits for the session on gateway A's control socket: the one A's file names.
        assertEquals(BenchTunnelPath.gatewayASocket(dir), a.global().controlSocket());
    }

    @Test
    void theTunnelProbeReadsEachTunnelsStateFromWhatStatusJsonWrites() {
        String status = JsonReport.status(Snapshots.sample());
        assertEquals(Optional.of("up"), TunnelStateProbe.stateIn(status, "tun-a"));
        assertEquals(Optional.of("connecting"), TunnelStateProbe.stateIn(status, "tun-b"));
        assertEquals(Optional.empty(), TunnelStateProbe.stateIn(status, "tun-z"));
        assertThrows(IllegalArgumentException.class, () -> TunnelStateProbe.stateIn(status.substring(0, 40), "tun-a"));
    }

    @Test
    void reportFramesAreValidIgmpV3JoinsOfDistinctGroupsFromDistinctHosts() throws Exception {
        Ip4 base = Ip4.parse("239.32.0.0");
        List<byte[]> frames = ReportLoad.frames(base, 300, 10);
        assertEquals(300, frames.size());
        Set<Ip4> groups = new HashSet<>();
        Set<Ip4> sources = new HashSet<>();
        Set<Object> macs = new HashSet<>();
        for (byte[] f : frames) {
            IgmpFrame frame = IgmpFrame.decode(f, f.length, LinkType.ETHERNET);
            V3MembershipReport report = (V3MembershipReport) frame.packet().message();
            assertEquals(10, report.records().size());
            for (GroupRecord r : report.records()) {
                assertEquals(RecordType.CHANGE_TO_EXCLUDE_MODE, r.type());
                assertTrue(r.sources().isEmpty());
                groups.add(r.group());
            }
            Ip4 source = frame.packet().source();
            assertTrue(LabTopology.RX1_LINK.subnet().contains(source), source.toString());
            assertFalse(source.equals(LabTopology.RX1_LINK.routerAddress())
                    || source.equals(LabTopology.RX1_LINK.hostAddress()));
            sources.add(source);
            macs.add(frame.ethernet().orElseThrow().source());
        }
        assertEquals(ReportLoad.groups(base, 3000), groups);
        assertEquals(240, sources.size());
        assertEquals(300, macs.size());
    }

    @Test
    void latencyIsMeasuredAtThePlanRateOrHalfTheCapacityIfThatIsLower() {
        assertEquals(10_000, LabBench.latencyRate(10_000, 80_000));
        assertEquals(6_250, LabBench.latencyRate(10_000, 12_500));
        assertEquals(10_000, LabBench.latencyRate(10_000, Double.NaN), "no capacity figure: the plan's rate");
        assertEquals(100, LabBench.latencyRate(10_000, 50), "never a stream too thin to give percentiles");
    }

    @Test
    void cpuModelIsTheFirstModelName() {
        assertEquals(
                "AMD EPYC 7B13",
                BenchMachine.cpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                        + "model name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"));
        assertEquals("unknown", BenchMachine.cpuModel("processor\t: 0\n"));
    }

    @Test
    void pointsAreUniqueAndEveryPlanAlternatesInRounds() {
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick(), BenchPlan.smoke())) {
            assertEquals(
                    plan.points().size(),
                    plan.points().stream().map(BenchPlan.Point::key).distinct().count());
            assertTrue(plan.rounds() >= 1 && plan.joins() >= 20, plan.name());
        }
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick(), BenchPlan.smoke())) {
            // The tunnel path has one receiver behind gateway B, and its 64-octet point sets its latency rate.
            assertFalse(plan.tunnelPoints().isEmpty(), plan.name());
            assertTrue(plan.tunnelPoints().stream().allMatch(p -> p.receivers() == 1 && p.groups() == 1), plan.name());
            assertTrue(plan.tunnelPoints().contains(new BenchPlan.Point(64, 1, 1)), plan.name());
        }
        assertTrue(BenchPlan.full().rounds() >= 3);
        assertEquals(10, BenchPlan.full().points().size());
        assertEquals(10_000, BenchPlan.full().hosts() * BenchPlan.full().groupsPerHost());
    }

    @Test
    void everyPlanMeasuresIpv6ForwardingAtOneReceiverAndOneGroupAsTheIpv4BaseRows() {
        BenchPlan.Point v6small = new BenchPlan.Point(IpFamily.IPV6, 64, 1, 1);
        BenchPlan.Point v6large = new BenchPlan.Point(IpFamily.IPV6, 1316, 1, 1);
        assertTrue(BenchPlan.full().points().containsAll(List.of(v6small, v6large)));
        assertTrue(BenchPlan.quick().points().containsAll(List.of(v6small, v6large)));
        assertTrue(BenchPlan.smoke().points().contains(v6small), "the CI smoke run checks the IPv6 row");
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick(), BenchPlan.smoke())) {
            for (BenchPlan.Point p : plan.points()) {
                if (p.family() == IpFamily.IPV6) {
                    // Each IPv6 point has its IPv4 counterpart in the same plan, to be read beside it.
                    assertTrue(
                            plan.points().contains(new BenchPlan.Point(IpFamily.IPV4, p.size(), 1, 1)),
                            plan.name() + " " + p);
                    assertEquals(1, p.receivers() * p.groups(), plan.name() + " " + p);
                }
            }
            // The tunnel is IPv4 only.
            assertTrue(plan.tunnelPoints().stream().allMatch(p -> p.family() == IpFamily.IPV4), plan.name());
        }
        // Keys tell the families apart; IPv4's keep the form scripts read.
        assertEquals("ipv6.64B.1rx.1g", v6small.key());
        assertEquals("64B.1rx.1g", new BenchPlan.Point(64, 1, 1).key());
        assertEquals("IPv6, 1316 B, 1 rx, 1 group", v6large.label());
    }

    @Test
    void ipv6CapacityGroupsAreGlobalScopeAnySourceGroupsApartFromTheJoinProbes() {
        List<IpAddress> groups = LabBench.capacityGroups(IpFamily.IPV6, 3);
        assertEquals(List.of(Ip6.parse("ff1e::ef07:0"), Ip6.parse("ff1e::ef07:1"), Ip6.parse("ff1e::ef07:2")), groups);
        for (IpAddress g : groups) {
            assertTrue(g.isMulticast() && !g.isLinkLocalMulticast() && !g.isSourceSpecific(), g.toString());
            assertFalse(JoinLeaveProbe.groups6(20).contains(g));
        }
        assertEquals(List.copyOf(LabBench.capacityGroups(2)), LabBench.capacityGroups(IpFamily.IPV4, 2));
    }

    @Test
    void smcrouteIsMeasuredAtTheIpv4PointsOnly() {
        SmcrouteUnderTest smcroute = new SmcrouteUnderTest(new LabTopology("bench"), Path.of("/tmp"));
        List<BenchPlan.Point> points = smcroute.points(BenchPlan.full());
        assertFalse(points.isEmpty());
        assertTrue(points.stream().allMatch(p -> p.family() == IpFamily.IPV4), points.toString());
        assertEquals(
                BenchPlan.full().points().stream()
                        .filter(p -> p.family() == IpFamily.IPV4)
                        .count(),
                points.size());
    }

    @Test
    void theBridgeHasALinkLocalAddressBeforeItGoesUpToBeMldQuerier() {
        List<List<String>> commands = BridgeUnderTest.setUpCommands();
        List<String> create = commands.get(0);
        assertEquals("2", create.get(create.indexOf("mcast_mld_version") + 1));
        List<String> address =
                List.of("-6", "addr", "add", BridgeUnderTest.LINK_LOCAL + "/64", "dev", "mcgbr0", "nodad");
        int added = commands.indexOf(address);
        assertTrue(added >= 0, commands.toString());
        assertTrue(added < commands.indexOf(List.of("link", "set", "mcgbr0", "up")));
        assertTrue(Ip6.parse(BridgeUnderTest.LINK_LOCAL).isLinkLocalUnicast());
    }

    @Test
    void theBridgesMdbIsReadPerPortAndGroupInBothFamilies() {
        // As iproute2 6.x prints it: router ports, IPv4 and IPv6 groups, and a layer-2 entry.
        String mdb = """
                dev mcgbr0 port down1 grp 239.7.0.0 temp
                dev mcgbr0 port down1 grp ff1e::ef07:0 temp
                dev mcgbr0 port down2 grp ff1e:0:0:0:0:0:ef07:0 temp filter_mode exclude proto kernel
                dev mcgbr0 port up0 grp 01:00:5e:01:01:01 permanent
                dev mcgbr0 port down2 grp 239.7.0.0 src 192.0.2.10 temp
                """;
        Set<String> entries = BridgeUnderTest.mdbEntries(mdb);
        assertTrue(entries.contains(BridgeUnderTest.mdbEntry("down1", Ip4.parse("239.7.0.0"))));
        assertTrue(entries.contains(BridgeUnderTest.mdbEntry("down1", Ip6.parse("ff1e::ef07:0"))));
        // The uncompressed form is the same group.
        assertTrue(entries.contains(BridgeUnderTest.mdbEntry("down2", Ip6.parse("ff1e::ef07:0"))));
        assertTrue(entries.contains(BridgeUnderTest.mdbEntry("down2", Ip4.parse("239.7.0.0"))));
        assertFalse(entries.contains(BridgeUnderTest.mdbEntry("down1", Ip6.parse("ff1e::ef07:1"))));
        assertEquals(4, entries.size(), entries.toString());
        assertTrue(BridgeUnderTest.mdbEntries("").isEmpty());
    }
}
