package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.GMI;
import static dev.mcgate.igmp.Harness.HOST1;
import static dev.mcgate.igmp.Harness.LMQT;
import static dev.mcgate.igmp.Harness.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V2MembershipReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retransmissions and the S flag (RFC 3376 §6.6.3), timer expiry (§6.3, §6.5), startup and periodic queries. */
class TimersAndQueriesTest {

    @Test
    void startupQueriesThenOneEveryQueryInterval() {
        Harness h = new Harness();
        h.router.start();
        assertEquals(List.of("GQ"), h.takeQueries());
        // Startup Query Interval = 125 / 4 = 31.25 s, Startup Query Count = 2: the second startup query, then QI.
        h.advance(Duration.ofMillis(31_249));
        assertEquals(List.of(), h.takeQueries());
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of("GQ"), h.takeQueries());
        h.advance(Duration.ofMillis(124_999));
        assertEquals(List.of(), h.takeQueries());
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of("GQ"), h.takeQueries());
        h.advanceSeconds(125);
        assertEquals(List.of("GQ"), h.takeQueries());
    }

    @Test
    void aLeaveSendsLastMemberQueryCountGroupQueriesAndPrunesAtLastMemberQueryTime() {
        Harness h = new Harness().started();
        h.receive(HOST1, new V2MembershipReport(G));
        assertEquals(Subscription.ANY_SOURCE, h.subscription());
        h.advanceSeconds(5);
        h.receive(HOST1, new LeaveGroup(G));
        assertEquals(List.of("Q(G)"), h.takeQueries());
        assertEquals(LMQT, h.group().groupTimer());
        h.advance(Duration.ofMillis(999));
        assertEquals(List.of(), h.takeQueries());
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advance(Duration.ofMillis(999));
        assertTrue(h.hasGroup());
        h.advance(Duration.ofMillis(1));
        assertFalse(h.hasGroup());
        assertEquals(Subscription.NONE, h.subscription());
        assertEquals(List.of("down1 239.1.2.3 EX{}", "down1 239.1.2.3 IN{}"), h.published);
        h.advanceSeconds(5);
        assertEquals(List.of(), h.takeQueries(), "no more last-member queries after LMQC");
    }

    @Test
    void aReportDuringLastMemberQueriesKeepsTheGroupAndSetsTheSFlagOnTheRetransmission() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.report(RecordType.CHANGE_TO_INCLUDE_MODE, SourceSet.EMPTY);
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(0.5);
        h.report(Harness.HOST2, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY);
        assertEquals(GMI, h.group().groupTimer());
        h.advanceSeconds(0.5);
        // §6.6.3.1: "if the group timer is larger than LMQT, the S bit is set".
        assertEquals(List.of("Q(G,S)"), h.takeQueries());
        h.advanceSeconds(10);
        assertTrue(h.hasGroup());
        assertEquals(FilterMode.EXCLUDE, h.group().filterMode());
    }

    @Test
    void groupAndSourceRetransmissionsSplitBySourceTimer() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_INCLUDE, set(1, 2, 3));
        h.report(RecordType.BLOCK_OLD_SOURCES, set(1, 2));
        assertEquals(List.of("Q(G,{192.0.2.1, 192.0.2.2})"), h.takeQueries());
        h.advanceSeconds(0.5);
        h.report(Harness.HOST2, RecordType.ALLOW_NEW_SOURCES, G, set(2));
        h.advanceSeconds(0.5);
        // §6.6.3.2: S set for sources whose timer is above LMQT, S clear for the rest.
        assertEquals(List.of("Q(G,S,{192.0.2.2})", "Q(G,{192.0.2.1})"), h.takeQueries());
        h.advanceSeconds(0.5);
        // Source 1 expired at LMQT (2 s) after the BLOCK? Not yet: 1.5 s have passed.
        assertEquals(Subscription.include(set(1, 2, 3)), h.subscription());
        h.advanceSeconds(0.5);
        assertEquals(Subscription.include(set(2, 3)), h.subscription());
        assertEquals(List.of(), h.takeQueries());
    }

    @Test
    void excludeGroupTimerExpiryFallsBackToIncludeWithTheRequestedSources() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_EXCLUDE, set(3));
        h.advanceSeconds(100);
        h.report(RecordType.ALLOW_NEW_SOURCES, set(1));
        assertEquals(Subscription.exclude(set(3)), h.subscription());
        h.advance(GMI.minusSeconds(100));
        // §6.5: sources with running timers remain, in INCLUDE mode; Y is deleted.
        assertEquals(FilterMode.INCLUDE, h.group().filterMode());
        assertEquals(Subscription.include(set(1)), h.subscription());
        h.advanceSeconds(100);
        assertFalse(h.hasGroup());
        assertEquals(
                List.of("down1 239.1.2.3 EX{192.0.2.3}", "down1 239.1.2.3 IN{192.0.2.1}", "down1 239.1.2.3 IN{}"),
                h.published);
    }

    @Test
    void anExpiredSourceInExcludeModeMovesToTheExcludeList() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.advanceSeconds(1);
        h.report(RecordType.ALLOW_NEW_SOURCES, set(7));
        h.advanceSeconds(100);
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY.union(set(7))); // keeps X={7}, group timer GMI
        assertEquals(Subscription.ANY_SOURCE, h.subscription());
        h.advance(GMI.minusSeconds(100));
        assertEquals(Subscription.exclude(set(7)), h.subscription());
        assertEquals(Duration.ZERO, h.group().sources().get(Harness.src(7)));
    }

    @Test
    void aNonQuerierSendsNoQueriesAndLowersTimersOnlyWhenItHearsTheQuerier() {
        Harness h = new Harness().started();
        h.receive(dev.mcgate.net.Ip4.parse("10.0.0.1"), Harness.generalQuery());
        assertFalse(h.router.snapshot().querier());
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.report(RecordType.CHANGE_TO_INCLUDE_MODE, SourceSet.EMPTY);
        assertEquals(List.of(), h.takeQueries());
        assertEquals(GMI, h.group().groupTimer());
        // The querier's Q(G), S clear, Max Resp Time 1 s: timer lowered to LMQC x 1 s.
        h.receive(dev.mcgate.net.Ip4.parse("10.0.0.1"), Harness.query(G, false, 2, 125, List.of()));
        assertEquals(Duration.ofSeconds(2), h.group().groupTimer());
        // With S set it is left alone.
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.receive(dev.mcgate.net.Ip4.parse("10.0.0.1"), Harness.query(G, true, 2, 125, List.of()));
        assertEquals(GMI, h.group().groupTimer());
    }

    @Test
    void stopWithdrawsEveryGroupAndCancelsEveryTimer() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.report(HOST1, RecordType.MODE_IS_INCLUDE, dev.mcgate.net.Ip4.parse("239.9.9.9"), set(1));
        h.published.clear();
        h.router.stop();
        assertEquals(List.of("down1 239.1.2.3 IN{}", "down1 239.9.9.9 IN{}"), h.published);
        assertEquals(0, h.clock.pendingCount());
        h.advanceSeconds(1000);
        assertEquals(List.of(), h.takeQueries());
    }

    @Test
    void linkLocalAndSsmExcludeJoinsMakeNoRecord() {
        Harness h = new Harness().started();
        h.receive(HOST1, new V2MembershipReport(dev.mcgate.net.Ip4.parse("224.0.0.251")));
        h.report(HOST1, RecordType.MODE_IS_EXCLUDE, dev.mcgate.net.Ip4.parse("232.1.1.1"), SourceSet.EMPTY);
        h.report(HOST1, RecordType.MODE_IS_INCLUDE, dev.mcgate.net.Ip4.parse("232.1.1.1"), set(1));
        assertEquals(List.of("down1 232.1.1.1 IN{192.0.2.1}"), h.published);
    }

    @Test
    void reportsFromTheUnspecifiedAddressAreAccepted() {
        Harness h = new Harness().started();
        h.receive(dev.mcgate.net.Ip4.ANY, new V2MembershipReport(G));
        assertEquals(Subscription.ANY_SOURCE, h.subscription());
    }
}
