package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.HOST1;
import static dev.mcgate.igmp.Harness.HOST2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V2MembershipReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fast leave: members tracked by reporter address; the last one's leave prunes at once. */
class FastLeaveTest {

    @Test
    void withTwoHostsTheFirstLeaveAsksAndTheLastLeavePrunesAtOnce() {
        Harness h = new Harness(Harness.V3, true).started();
        h.receive(HOST1, new V2MembershipReport(G));
        h.report(HOST2, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY);
        assertEquals(2, h.group().members());

        h.receive(HOST1, new LeaveGroup(G));
        assertEquals(List.of("Q(G)"), h.takeQueries(), "another member is known: ask as usual");
        assertTrue(h.hasGroup());
        h.report(HOST2, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY); // host 2 answers
        h.advanceSeconds(5);
        assertTrue(h.hasGroup());
        h.takeQueries();

        h.report(HOST2, RecordType.CHANGE_TO_INCLUDE_MODE, G, SourceSet.EMPTY);
        assertFalse(h.hasGroup(), "the last member left: pruned without waiting");
        assertEquals(Subscription.NONE, h.subscription());
        assertEquals(List.of(), h.takeQueries());
        assertEquals(List.of("down1 239.1.2.3 EX{}", "down1 239.1.2.3 IN{}"), h.published);
    }

    @Test
    void withoutFastLeaveTheLastLeaveWaitsForLastMemberQueries() {
        Harness h = new Harness(Harness.V3, false).started();
        h.receive(HOST1, new V2MembershipReport(G));
        h.receive(HOST1, new LeaveGroup(G));
        assertTrue(h.hasGroup());
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(2);
        assertFalse(h.hasGroup());
    }

    @Test
    void aMemberNotHeardForAGroupMembershipIntervalDoesNotHoldAFastLeaveBack() {
        Harness h = new Harness(Harness.V3, true).started();
        h.receive(HOST2, new V2MembershipReport(G));
        h.advanceSeconds(200);
        h.receive(HOST1, new V2MembershipReport(G));
        h.advanceSeconds(100); // host 2 last heard 300 s ago > GMI 260 s
        h.receive(HOST1, new LeaveGroup(G));
        assertFalse(h.hasGroup());
    }
}
