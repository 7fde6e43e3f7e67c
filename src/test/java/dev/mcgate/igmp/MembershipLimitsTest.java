package dev.mcgate.igmp;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.set;
import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.HOST1;
import static dev.mcgate.igmp.Harness.HOST2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.MembershipLimits;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V2MembershipReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** max-groups, max-sources and max-hosts: what is past a limit is dropped and counted; what is held keeps working. */
class MembershipLimitsTest {

    private static final Ip4 G2 = ip("239.1.2.4");
    private static final Ip4 G3 = ip("239.1.2.5");

    private static long count(Harness h, RouterCounter c) {
        return h.router.snapshot().counters().get(c);
    }

    @Test
    void aNewGroupPastMaxGroupsIsDroppedAndCountedWhileTheHeldOnesAreRefreshedAndFreeTheirPlace() {
        Harness h = new Harness(Harness.V3, false, new MembershipLimits(2, 64, 64, 1000)).started();
        h.report(HOST1, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY);
        h.receive(HOST1, new V2MembershipReport(G2));
        h.report(HOST1, RecordType.CHANGE_TO_EXCLUDE_MODE, G3, SourceSet.EMPTY);
        h.receive(HOST2, new V2MembershipReport(G3));

        assertEquals(2, h.router.snapshot().groups().size());
        assertEquals(Subscription.NONE, h.router.subscription(G3));
        assertEquals(2, count(h, RouterCounter.GROUPS_OVER_LIMIT), "one v3 record and one v2 report");

        h.advance(Harness.GMI.minusSeconds(10));
        h.report(HOST1, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY);
        h.advanceSeconds(20); // G2 expires, G was refreshed
        assertEquals(ex(), h.subscription());
        assertEquals(Subscription.NONE, h.router.subscription(G2));

        h.report(HOST1, RecordType.CHANGE_TO_EXCLUDE_MODE, G3, SourceSet.EMPTY);
        assertEquals(ex(), h.router.subscription(G3), "G2's place is free again");
    }

    @Test
    void aRecordThatWouldPassMaxSourcesIsDroppedAndOneThatRemovesOrFitsStillApplies() {
        Harness h = new Harness(Harness.V3, false, new MembershipLimits(1024, 3, 64, 1000)).started();
        h.report(RecordType.ALLOW_NEW_SOURCES, set("192.0.2.1", "192.0.2.2"));
        h.report(RecordType.ALLOW_NEW_SOURCES, set("192.0.2.3", "192.0.2.4"));
        assertEquals(in("192.0.2.1", "192.0.2.2"), h.subscription());
        assertEquals(1, count(h, RouterCounter.SOURCES_OVER_LIMIT));

        h.report(RecordType.ALLOW_NEW_SOURCES, set("192.0.2.2", "192.0.2.3"));
        assertEquals(in("192.0.2.1", "192.0.2.2", "192.0.2.3"), h.subscription(), "one new source fits");

        h.report(
                HOST1,
                RecordType.MODE_IS_INCLUDE,
                ip("239.9.9.9"),
                set("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"));
        assertFalse(h.router.snapshot().group(ip("239.9.9.9")).isPresent(), "a new group past it gets no record");
        assertEquals(2, count(h, RouterCounter.SOURCES_OVER_LIMIT));

        h.report(RecordType.BLOCK_OLD_SOURCES, set("192.0.2.9"));
        h.report(RecordType.CHANGE_TO_EXCLUDE_MODE, set("192.0.2.7"));
        assertEquals(ex("192.0.2.7"), h.subscription(), "TO_EX leaves only its own sources");
        assertEquals(2, count(h, RouterCounter.SOURCES_OVER_LIMIT));
    }

    @Test
    void aHostPastMaxHostsIsNotTrackedAndTheGroupThenLeavesByQueriesNotFast() {
        Harness h = new Harness(Harness.V3, true, new MembershipLimits(1024, 64, 1, 1000)).started();
        Ip4 spoofed = ip("10.0.0.99");
        h.receive(HOST1, new V2MembershipReport(G));
        h.receive(spoofed, new V2MembershipReport(G));
        assertEquals(1, h.group().members());
        assertEquals(1, count(h, RouterCounter.HOSTS_OVER_LIMIT));

        h.receive(HOST1, new LeaveGroup(G));
        assertTrue(h.hasGroup(), "an untracked host may still be a member");
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(3); // nobody answers: pruned after the last-member queries
        assertFalse(h.hasGroup());
        assertEquals(0, h.router.snapshot().counters().get(RouterCounter.FAST_LEAVES));
    }
}
