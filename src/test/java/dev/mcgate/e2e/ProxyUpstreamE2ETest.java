package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate as an IGMP host on its upstream, facing a real querier: the Linux bridge querier in the source namespace.
 * A downstream receiver's join is reported upstream within 1 s, the membership is kept alive across upstream queries
 * (the bridge's own group table says so), and the leave is reported within Last Member Query Time + 1 s.
 */
@EndToEnd
class ProxyUpstreamE2ETest {

    /** Bridge query interval: 2 s (the bridge counts in 1/100 s). */
    private static final long QUERY_INTERVAL_MS = 2000;

    private static final Ip4 GROUP = Ip4.of(239, 5, 5, 5);
    private static final Ip4 ROUTER_UP = LabTopology.SOURCE_LINK.routerAddress();

    /** One IGMP message seen on the source side, with when it was seen. */
    private record Seen(long atNanos, Ip4 from, Object message) {}

    @Test
    void joinsAreReportedKeptAliveAndLeftUpstream(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String src = lab.topology().source();
            // The source host becomes a bridge with a querier; its eth0 (towards the router's up0) is a bridge port.
            TestLab.run(
                    "ip",
                    "-n",
                    src,
                    "link",
                    "add",
                    "br0",
                    "type",
                    "bridge",
                    "mcast_snooping",
                    "1",
                    "mcast_querier",
                    "1",
                    "mcast_igmp_version",
                    "3",
                    "mcast_query_interval",
                    Long.toString(QUERY_INTERVAL_MS / 10),
                    "mcast_query_response_interval",
                    "100",
                    "mcast_startup_query_interval",
                    "100",
                    // 5 s: without mcgate's answers the entry would expire within the 6 s watched below.
                    "mcast_membership_interval",
                    "500");
            TestLab.run("ip", "-n", src, "addr", "flush", "dev", "eth0");
            TestLab.run("ip", "-n", src, "link", "set", "eth0", "master", "br0");
            TestLab.run("ip", "-n", src, "addr", "add", LabTopology.SOURCE_LINK.hostAddress() + "/24", "dev", "br0");
            TestLab.run("ip", "-n", src, "link", "set", "br0", "up");

            List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            FrameHandler record = (p, frame, length) -> {
                try {
                    IgmpFrame f = IgmpFrame.decode(frame, length, p.linkType());
                    seen.add(new Seen(
                            System.nanoTime(), f.packet().source(), f.packet().message()));
                } catch (MalformedPacketException e) {
                    seen.add(new Seen(System.nanoTime(), Ip4.ANY, e));
                }
            };
            // Captures see what arrives: the router's reports on the querier's br0, the querier's queries on up0.
            lab.openPcap(src, "br0", CaptureFilter.IGMP, record);
            lab.openPcap(lab.topology().router(), LabTopology.UPSTREAM_IF, CaptureFilter.IGMP, record);
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    "run",
                    "-c",
                    lab.topology().routerConfigFile().toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);

            long joinAt = System.nanoTime();
            TestLab.Membership member = lab.join(1, GROUP, 5001, Optional.empty());
            Seen joinReport = await(
                    seen,
                    s -> s.atNanos() > joinAt
                            && s.from().equals(ROUTER_UP)
                            && hasRecord(s, RecordType.CHANGE_TO_EXCLUDE_MODE),
                    3000);
            assertNotNull(joinReport, "no TO_EX report for " + GROUP + " upstream: " + seen);
            long joinMs = TimeUnit.NANOSECONDS.toMillis(joinReport.atNanos() - joinAt);
            assertTrue(joinMs <= 1000, "join reported upstream after " + joinMs + " ms");
            V3MembershipReport report = (V3MembershipReport) joinReport.message();
            assertEquals(
                    List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, GROUP, List.of())),
                    report.records().stream()
                            .filter(r -> r.group().equals(GROUP))
                            .toList());

            // Three upstream query intervals: each general query is answered with IS_EX for the group, and the
            // bridge keeps the group on its router-facing port all along.
            long aliveFrom = System.nanoTime();
            for (int round = 0; round < 3; round++) {
                Thread.sleep(QUERY_INTERVAL_MS);
                assertTrue(
                        TestLab.run("bridge", "-n", src, "mdb", "show").contains(GROUP.toString()),
                        "the querier forgot " + GROUP + " in round " + round);
            }
            long answers = snapshot(seen).stream()
                    .filter(s -> s.atNanos() > aliveFrom
                            && s.from().equals(ROUTER_UP)
                            && hasRecord(s, RecordType.MODE_IS_EXCLUDE))
                    .count();
            long queries = snapshot(seen).stream()
                    .filter(s -> s.atNanos() > aliveFrom
                            && s.message() instanceof V3Query q
                            && q.group().equals(Ip4.ANY))
                    .count();
            assertTrue(queries >= 2, "the bridge querier sent " + queries + " general queries");
            assertTrue(answers >= queries - 1, answers + " IS_EX answers to " + queries + " queries");

            String rtr = lab.topology().router();
            String groupMac = "01:00:5e:05:05:05";
            assertTrue(
                    TestLab.run("ip", "-n", rtr, "maddr", "show", "dev", "up0").contains(groupMac),
                    "the joined group's MAC is in up0's filter");

            long leaveAt = System.nanoTime();
            member.close();
            Seen leaveReport = await(
                    seen,
                    s -> s.atNanos() > leaveAt
                            && s.from().equals(ROUTER_UP)
                            && hasRecord(s, RecordType.CHANGE_TO_INCLUDE_MODE),
                    5000);
            assertNotNull(leaveReport, "no TO_IN report upstream after the leave: " + seen);
            long leaveMs = TimeUnit.NANOSECONDS.toMillis(leaveReport.atNanos() - leaveAt);
            // Lab defaults: Last Member Query Interval 1 s x count 2 = 2 s, plus 1 s.
            assertTrue(leaveMs <= 3000, "leave reported upstream after " + leaveMs + " ms");
            assertTrue(
                    !TestLab.run("ip", "-n", rtr, "maddr", "show", "dev", "up0").contains(groupMac),
                    "the left group's MAC is out of up0's filter");
            System.out.printf(
                    "upstream: join reported after %d ms, %d IS_EX answers to %d general queries, "
                            + "leave reported after %d ms%n",
                    joinMs, answers, queries, leaveMs);

            // Stopping with a group joined leaves it upstream before the process ends.
            lab.join(2, GROUP, 5001, Optional.empty());
            Seen again = await(
                    seen,
                    s -> s.atNanos() > leaveReport.atNanos()
                            && s.from().equals(ROUTER_UP)
                            && hasRecord(s, RecordType.CHANGE_TO_EXCLUDE_MODE),
                    3000);
            assertNotNull(again, "second join not reported");
            long stopAt = System.nanoTime();
            mcgate.destroy();
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, mcgate.exitValue(), Files.readString(log));
            assertNotNull(
                    await(
                            seen,
                            s -> s.atNanos() > stopAt
                                    && s.from().equals(ROUTER_UP)
                                    && hasRecord(s, RecordType.CHANGE_TO_INCLUDE_MODE),
                            2000),
                    "no leave upstream on SIGTERM");
            assertTrue(Files.readString(log).contains("upstream up0: left 1 group(s) on stop"), Files.readString(log));
        }
    }

    private static boolean hasRecord(Seen s, RecordType type) {
        return s.message() instanceof V3MembershipReport r
                && r.records().stream().anyMatch(g -> g.group().equals(GROUP) && g.type() == type);
    }

    private static List<Seen> snapshot(List<Seen> seen) {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private static Seen await(List<Seen> seen, Predicate<Seen> wanted, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Optional<Seen> hit = snapshot(seen).stream().filter(wanted).findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            Thread.sleep(10);
        }
        return null;
    }
}
