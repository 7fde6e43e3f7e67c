package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate as an MLDv2 host on its upstream, facing a Linux bridge with MLD snooping and the bridge's own MLDv2 querier
 * in the source namespace: the group a downstream receiver joins stays in the bridge's mdb on the router-facing port
 * for longer than the bridge's membership interval (mcgate answers its queries), and goes soon after the receiver
 * leaves (mcgate's leave, not the entry's expiry). The bridge's mdb is the judge, not mcgate's log.
 */
@EndToEnd
class MldBridgeUpstreamE2ETest {

    /** The bridge's timers, in its 1/100 s: general queries every 2 s, entries expire 5 s after the last report. */
    private static final long QUERY_INTERVAL_MS = 2000;

    private static final long MEMBERSHIP_INTERVAL_MS = 5000;
    private static final long WATCHED_MS = MEMBERSHIP_INTERVAL_MS * 2;
    /** mcgate's downstream Last Listener Query Time (300 ms x 2) and the bridge's own (500 ms x 2), with slack. */
    private static final long LEAVE_LIMIT_MS = 3000;

    private static final Ip6 GROUP = Ip6.parse("ff15::47:1");

    @TempDir
    Path dir;

    @Test
    void mcgatesMldv2ReportsKeepTheGroupInTheBridgesMdbAndItsLeaveRemovesIt() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String src = lab.topology().source();
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
                    "mcast_mld_version",
                    "2",
                    "mcast_query_interval",
                    Long.toString(QUERY_INTERVAL_MS / 10),
                    "mcast_query_response_interval",
                    "100",
                    "mcast_startup_query_interval",
                    "100",
                    "mcast_last_member_interval",
                    "50",
                    "mcast_membership_interval",
                    Long.toString(MEMBERSHIP_INTERVAL_MS / 10));
            TestLab.run("ip", "-n", src, "addr", "flush", "dev", "eth0");
            TestLab.run("ip", "-n", src, "link", "set", "eth0", "master", "br0");
            TestLab.run(
                    "ip",
                    "-n",
                    src,
                    "-6",
                    "addr",
                    "add",
                    LabTopology.SOURCE_LINK.hostAddress6() + "/64",
                    "dev",
                    "br0",
                    "nodad");
            TestLab.run("ip", "-n", src, "link", "set", "br0", "up");
            // The bridge's IPv6 querier speaks from br0's link-local address: wait for it.
            Ip6 bridgeAddress = lab.linkLocalAddress(src, "br0");

            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, """
                    defaults {
                        last-member-query-interval 300ms
                        last-member-query-count 2
                    }
                    interface up0 {
                        role upstream
                    }
                    interface down1 {
                        role downstream
                    }
                    interface down2 {
                        role downstream
                    }
                    """);
            Path log = dir.resolve("mcgate.log");
            lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);
            Ip6 routerAddress = lab.linkLocalAddress(lab.topology().router(), LabTopology.UPSTREAM_IF);
            Ipv6Capture upstream = Ipv6Capture.start(lab, lab.topology().router(), LabTopology.UPSTREAM_IF, dir, "up0");

            long joinAt = System.nanoTime();
            TestLab.Membership member = lab.join6(1, GROUP, 5047, Optional.empty());
            long inMdbMs = awaitMdb(src, true, 3000, joinAt);
            assertTrue(inMdbMs >= 0, "the bridge never learnt " + GROUP + " on eth0:\n" + mdb(src));

            // Twice the membership interval: without mcgate's answers to the bridge's queries the entry would expire.
            long keptFrom = System.nanoTime();
            long kept = 0;
            while (System.nanoTime() - keptFrom < TimeUnit.MILLISECONDS.toNanos(WATCHED_MS)) {
                assertTrue(
                        inMdb(src),
                        "the bridge forgot " + GROUP + " " + (System.nanoTime() - keptFrom) / 1_000_000
                                + " ms after it learnt it:\n" + mdb(src));
                kept = (System.nanoTime() - keptFrom) / 1_000_000;
                Thread.sleep(200);
            }
            List<MldPacket> seen = upstream.mld();
            long queries = seen.stream()
                    .filter(p ->
                            p.source().equals(bridgeAddress) && p.message() instanceof MldV2Query q && q.isGeneral())
                    .count();
            long reports = seen.stream()
                    .filter(p -> p.source().equals(routerAddress)
                            && p.message() instanceof MldV2Report r
                            && r.records().stream()
                                    .anyMatch(a -> a.multicastAddress().equals(GROUP)))
                    .count();
            assertTrue(queries >= 2, "the bridge's querier sent " + queries + " general queries on up0's link");

            long leaveAt = System.nanoTime();
            member.close();
            long goneMs = awaitMdb(src, false, MEMBERSHIP_INTERVAL_MS + 2000, leaveAt);
            System.out.printf(
                    "figures: MLD snooping bridge upstream: %s in the mdb %d ms after the join, kept %d ms "
                            + "(membership interval %d ms) with %d general queries and %d MLDv2 reports naming it; "
                            + "gone %d ms after the leave%n",
                    GROUP, inMdbMs, kept, MEMBERSHIP_INTERVAL_MS, queries, reports, goneMs);
            assertTrue(goneMs >= 0, "the bridge still holds " + GROUP + " after the leave:\n" + mdb(src));
            assertTrue(
                    goneMs <= LEAVE_LIMIT_MS,
                    "gone " + goneMs + " ms after the leave: expired, not left (limit " + LEAVE_LIMIT_MS + " ms)");
        }
    }

    private static String mdb(String ns) throws Exception {
        return TestLab.run("bridge", "-n", ns, "-d", "mdb", "show", "dev", "br0");
    }

    /** Whether the bridge holds the group on its port towards mcgate (eth0), not only for its own br0. */
    private static boolean inMdb(String ns) throws Exception {
        return mdb(ns).lines().anyMatch(l -> l.contains(" port eth0 ") && l.contains(" grp " + GROUP + " "));
    }

    /** Milliseconds from {@code sinceNanos} until the group is (or is no longer) in the mdb; -1 if not in time. */
    private static long awaitMdb(String ns, boolean present, long timeoutMs, long sinceNanos) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (inMdb(ns) == present) {
                return (System.nanoTime() - sinceNanos) / 1_000_000;
            }
            Thread.sleep(20);
        }
        return -1;
    }
}
