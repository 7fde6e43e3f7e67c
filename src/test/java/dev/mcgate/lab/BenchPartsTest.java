package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
        assertEquals("iperf -u -c 239.7.0.0 -p 5001 -T 32 -b 25000pps -l 1316 -t 0.50 >/dev/null 2>&1 & "
                + "iperf -u -c 239.7.0.1 -p 5001 -T 32 -b 25000pps -l 1316 -t 0.50 >/dev/null 2>&1 & wait", line);
    }

    @Test
    void benchConfigurationIsValidWithFastLeaveOnDown2Only() throws Exception {
        McgateConfig config = ConfigLoader.parse(BenchLab.config(new LabTopology("bench"), true), "bench.conf",
                Format.NATIVE).config();
        assertFalse(config.interfaceFor("down1").fastLeave());
        assertTrue(config.interfaceFor("down2").fastLeave());
        assertEquals("up0", config.interfaces().get(0).name());
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
            assertFalse(source.equals(LabTopology.RX1_LINK.routerAddress()) || source.equals(
                    LabTopology.RX1_LINK.hostAddress()));
            sources.add(source);
            macs.add(frame.ethernet().orElseThrow().source());
        }
        assertEquals(ReportLoad.groups(base, 3000), groups);
        assertEquals(240, sources.size());
        assertEquals(300, macs.size());
    }

    @Test
    void cpuModelIsTheFirstModelName() {
        assertEquals("AMD EPYC 7B13", BenchMachine.cpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                + "model name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"));
        assertEquals("unknown", BenchMachine.cpuModel("processor\t: 0\n"));
    }

    @Test
    void pointsAreUniqueAndEveryPlanAlternatesInRounds() {
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick(), BenchPlan.smoke())) {
            assertEquals(plan.points().size(), plan.points().stream().map(BenchPlan.Point::key).distinct().count());
            assertTrue(plan.rounds() >= 1 && plan.joins() >= 20, plan.name());
        }
        assertTrue(BenchPlan.full().rounds() >= 3);
        assertEquals(8, BenchPlan.full().points().size());
        assertEquals(10_000, BenchPlan.full().hosts() * BenchPlan.full().groupsPerHost());
    }
}
