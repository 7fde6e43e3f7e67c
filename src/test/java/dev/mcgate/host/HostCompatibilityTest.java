package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.QuerierAdoption;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Host Compatibility Mode (RFC 3376 §7.2.1) and the IGMPv1/v2 host behaviour (RFC 2236 §3). */
class HostCompatibilityTest {

    private static final Ip4 QUERIER = ip("192.0.2.254");
    private static final Ip4 G1 = ip("239.1.1.1");
    private static final Ip4 G2 = ip("239.1.1.2");
    private static final Ip4 G3 = ip("239.1.1.3");

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender sender = new RecordingSender(clock);

    private HostInterface quietHost(HostSettings settings) {
        HostInterface host =
                new HostInterface("up0", settings, clock, RandomSource.seeded(11), sender, LinkFilter.NONE);
        host.setDesired(Map.of(G1, ex(), G2, in("10.0.0.1")));
        clock.advance(Duration.ofSeconds(30));
        sender.take();
        return host;
    }

    private HostInterface quietHost() {
        return quietHost(HostSettings.DEFAULTS);
    }

    @Test
    void aV2GeneralQuerySwitchesToV2ReportsAndLeavesUntilTheOlderQuerierTimeout() {
        HostInterface host = quietHost();
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100)); // at 30 s
        assertEquals(CompatibilityMode.IGMPV2, host.mode());

        // The query is answered the v2 way: one report per group, within Max Resp Time.
        clock.advance(Duration.ofSeconds(10));
        List<RecordingSender.Sent> answers = sender.takeSent();
        assertEquals(
                Set.of(new V2MembershipReport(G1), new V2MembershipReport(G2)),
                answers.stream().map(RecordingSender.Sent::message).collect(Collectors.toSet()));
        assertEquals(2, answers.size());

        // A join: a report at once, repeated Robustness - 1 times within the v2 Unsolicited Report Interval (10 s).
        host.setDesired(G3, ex());
        clock.advance(Duration.ofSeconds(30));
        List<RecordingSender.Sent> join = sender.takeSent();
        assertEquals(
                List.of(new V2MembershipReport(G3), new V2MembershipReport(G3)),
                join.stream().map(RecordingSender.Sent::message).toList());
        assertEquals(Duration.ofSeconds(40), join.get(0).at());
        Duration gap = join.get(1).at().minus(join.get(0).at());
        assertTrue(gap.compareTo(Duration.ZERO) > 0 && gap.compareTo(Duration.ofSeconds(10)) <= 0, "gap " + gap);

        // A change of sources is invisible in v2; a leave is always sent (a proxy is the last reporter).
        host.setDesired(G2, in("10.0.0.1", "10.0.0.2"));
        host.setDesired(G3, Subscription.NONE);
        assertEquals(List.of(new LeaveGroup(G3)), sender.take());

        // Older Version Querier Present Timeout = 2 × 125 s + 10 s = 260 s after the query (heard at 30 s).
        clock.advance(Duration.ofSeconds(290).minus(Duration.ofSeconds(70)).minusMillis(1));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        clock.advance(Duration.ofMillis(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode());

        host.setDesired(G3, ex());
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.3"))), sender.take());
    }

    @Test
    void aV1QuerySwitchesToV1ReportsAndNoLeaves() {
        HostInterface host = quietHost();
        host.receiveQuery(QUERIER, V1Query.GENERAL);
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Set.of(new V1MembershipReport(G1), new V1MembershipReport(G2)), Set.copyOf(sender.take()));

        host.setDesired(G1, Subscription.NONE);
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), sender.take(), "v1 has no leave");

        host.setDesired(G3, ex());
        assertEquals(List.of(new V1MembershipReport(G3)), sender.take());
    }

    @Test
    void v1PresenceWinsOverV2AndEachTimerFallsBackInTurn() {
        HostInterface host = quietHost(); // t = 30 s
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100)); // v2 present until 290 s
        clock.advance(Duration.ofSeconds(70));
        host.receiveQuery(QUERIER, V1Query.GENERAL); // t = 100 s: v1 present until 360 s
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        clock.advance(Duration.ofSeconds(100));
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100)); // t = 200 s: v2 present until 460 s
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        clock.advance(Duration.ofSeconds(160)); // t = 360 s
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        clock.advance(Duration.ofSeconds(100)); // t = 460 s
        assertEquals(CompatibilityMode.IGMPV3, host.mode());
    }

    @Test
    void theTimeoutUsesTheQueriersRobustnessAndQueryInterval() {
        HostInterface host = quietHost(); // t = 30 s
        host.receiveQuery(QUERIER, V3Query.general(100, 3, 60));
        clock.advance(Duration.ofSeconds(10));
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 50)); // t = 40 s; timeout 3 × 60 s + 5 s = 185 s
        assertEquals(Duration.ofSeconds(185), host.olderVersionQuerierPresentTimeout(Duration.ofSeconds(5)));
        clock.advance(Duration.ofSeconds(185).minusMillis(1));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        clock.advance(Duration.ofMillis(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode());
    }

    @Test
    void aModeChangeCancelsPendingRetransmissionsAndAnswers() {
        HostInterface host = quietHost();
        host.receiveQuery(QUERIER, V3Query.general(100, 2, 125));
        host.setDesired(G3, in("10.0.0.7"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, "239.1.1.3", "10.0.0.7"))), sender.take());

        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(60));
        List<IgmpMessage> after = sender.take();
        assertTrue(after.stream().noneMatch(m -> m instanceof V3MembershipReport), after.toString());
        assertEquals(
                Set.of(new V2MembershipReport(G1), new V2MembershipReport(G2), new V2MembershipReport(G3)),
                Set.copyOf(after));
        assertEquals(3, after.size());
    }

    @Test
    void aRunningTimerIsKeptWhenItIsDueBeforeTheNewMaxRespTime() {
        HostInterface host = quietHost();
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 10)); // answers within 1 s
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100)); // later bound: timers kept
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, sender.take().size());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), sender.take(), "one answer per group");
    }

    @Test
    void aConfiguredHighestVersionOf2SpeaksV2FromTheStart() {
        HostSettings v2 = new HostSettings(
                2,
                2,
                Duration.ofSeconds(125),
                HostSettings.V3_UNSOLICITED_REPORT_INTERVAL,
                HostSettings.V2_UNSOLICITED_REPORT_INTERVAL,
                QuerierAdoption.DEFAULTS);
        HostInterface host = new HostInterface("up0", v2, clock, RandomSource.seeded(1), sender, LinkFilter.NONE);
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        host.setDesired(G1, ex());
        host.receiveQuery(QUERIER, V3Query.general(100, 2, 125));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(
                sender.messages().stream().allMatch(m -> m instanceof V2MembershipReport),
                sender.messages().toString());
    }

    @Test
    void ssmGroupsAreNotReportedInOlderModes() {
        HostInterface host = quietHost();
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(10));
        sender.take();
        host.setDesired(ip("232.1.1.1"), in("10.0.0.1"));
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(10));
        host.setDesired(ip("232.1.1.1"), Subscription.NONE);
        assertEquals(Set.of(new V2MembershipReport(G1), new V2MembershipReport(G2)), Set.copyOf(sender.take()));
    }
}
