package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.GMI;
import static dev.mcgate.igmp.Harness.HOST1;
import static dev.mcgate.igmp.Harness.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V2MembershipReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Older-version compatibility (RFC 3376 §7.3): host present timers, group compatibility mode, configured v1 / v2. */
class CompatibilityTest {

    @Test
    void aV2ReportIsExcludeNothingAndPutsTheGroupInV2ModeForTheOlderHostPresentInterval() {
        Harness h = new Harness().started();
        h.receive(HOST1, new V2MembershipReport(G));
        RouterSnapshot.Group g = h.group();
        assertEquals(2, g.compatibilityMode());
        assertEquals(Harness.V3.olderHostPresentInterval(), g.v2HostPresent());
        assertEquals(Subscription.ANY_SOURCE, h.subscription());
        // v2 mode: BLOCK ignored, TO_EX(x) read as TO_EX{}.
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.report(RecordType.CHANGE_TO_EXCLUDE_MODE, set(1));
        assertEquals(Subscription.ANY_SOURCE, h.subscription());
        h.report(RecordType.ALLOW_NEW_SOURCES, set(2));
        h.report(RecordType.BLOCK_OLD_SOURCES, set(2));
        assertEquals(List.of(), h.takeQueries());
        // After the Older Version Host Present timer the group is back in v3 mode and BLOCK is honoured.
        h.advance(Harness.V3.olderHostPresentInterval().minusSeconds(1));
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.advanceSeconds(1);
        assertEquals(3, h.group().compatibilityMode());
        h.takeQueries();
        h.report(RecordType.CHANGE_TO_EXCLUDE_MODE, set(1));
        assertEquals(List.of("Q(G,{192.0.2.1})"), h.takeQueries());
        h.advance(GMI);
        assertFalse(h.hasGroup());
    }

    @Test
    void inV1ModeLeavesAndToIncludeAreIgnored() {
        Harness h = new Harness().started();
        h.receive(HOST1, new V1MembershipReport(G));
        assertEquals(1, h.group().compatibilityMode());
        h.receive(HOST1, new LeaveGroup(G));
        h.report(RecordType.CHANGE_TO_INCLUDE_MODE, SourceSet.EMPTY);
        assertEquals(List.of(), h.takeQueries());
        assertEquals(GMI, h.group().groupTimer());
        // A v2 report while v1 hosts are present keeps v1 mode (the v1 timer wins).
        h.receive(HOST1, new V2MembershipReport(G));
        assertEquals(1, h.group().compatibilityMode());
        h.advance(Harness.V3.olderHostPresentInterval());
        h.receive(HOST1, new V2MembershipReport(G));
        assertEquals(2, h.group().compatibilityMode());
    }

    @Test
    void anIgmpV2InterfaceSendsV2QueriesAndReadsV3ReportsInV2Mode() {
        Harness h = new Harness(Harness.version(2), false);
        h.router.start();
        assertEquals(List.of("v2 GQ"), h.takeQueries());
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        assertEquals(2, h.group().compatibilityMode());
        h.report(RecordType.CHANGE_TO_EXCLUDE_MODE, set(1));
        assertEquals(Subscription.ANY_SOURCE, h.subscription(), "TO_EX(x) is TO_EX{} in v2 mode");
        h.receive(HOST1, new LeaveGroup(G));
        assertEquals(List.of("v2 Q(G)"), h.takeQueries());
        h.advanceSeconds(1);
        assertEquals(List.of("v2 Q(G)"), h.takeQueries());
        h.advanceSeconds(1);
        assertFalse(h.hasGroup());
    }

    @Test
    void anIgmpV1InterfaceSendsV1QueriesAndIgnoresLeaves() {
        Harness h = new Harness(Harness.version(1), false);
        h.router.start();
        assertEquals(List.of("v1 GQ"), h.takeQueries());
        h.receive(HOST1, new V1MembershipReport(G));
        h.receive(HOST1, new LeaveGroup(G));
        assertEquals(List.of(), h.takeQueries());
        assertTrue(h.hasGroup());
        h.advance(GMI);
        assertFalse(h.hasGroup());
    }
}
