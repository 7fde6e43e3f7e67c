package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3376 §5.1 retransmission state: counters, merging, consistency with the table. */
class RetransmissionStateTest {

    private static final Ip4 G = ip("239.1.1.1");

    @Test
    void firstReportOfAFreshStateIsTheTableDiffAndItIsSentRobustnessTimes() {
        SubscriptionGenerator gen = new SubscriptionGenerator(42);
        for (int i = 0; i < 2000; i++) {
            Subscription old = gen.next();
            Subscription now = gen.next();
            RetransmissionState state = new RetransmissionState();
            state.changed(old, now, 3);
            List<GroupRecord> expected = IgmpHostOutput.groupRecords(StateChange.records(G, old, now));
            int reports = 0;
            while (state.isPending()) {
                List<GroupRecord> records = IgmpHostOutput.groupRecords(state.nextRecords(G, now));
                // Every report of a single change says the same thing.
                assertEquals(expected, records, old + " -> " + now + ", report " + reports);
                reports++;
            }
            assertEquals(expected.isEmpty() ? 0 : 3, reports, old + " -> " + now);
        }
    }

    @Test
    void aSecondSourceChangeMergesIntoTheNextReport() {
        RetransmissionState state = new RetransmissionState();
        state.changed(Subscription.NONE, in("10.0.0.1"), 2);
        assertEquals(
                List.of(rec(ALLOW_NEW_SOURCES, "239.1.1.1", "10.0.0.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, in("10.0.0.1"))));

        state.changed(in("10.0.0.1"), in("10.0.0.2"), 2);
        assertEquals(
                List.of(
                        rec(ALLOW_NEW_SOURCES, "239.1.1.1", "10.0.0.2"),
                        rec(BLOCK_OLD_SOURCES, "239.1.1.1", "10.0.0.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, in("10.0.0.2"))));
        assertEquals(
                List.of(
                        rec(ALLOW_NEW_SOURCES, "239.1.1.1", "10.0.0.2"),
                        rec(BLOCK_OLD_SOURCES, "239.1.1.1", "10.0.0.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, in("10.0.0.2"))));
        assertFalse(state.isPending());
    }

    @Test
    void aSourceChangeDuringFilterModeRetransmissionsWaitsForThem() {
        RetransmissionState state = new RetransmissionState();
        state.changed(Subscription.NONE, ex(), 2);
        assertEquals(
                List.of(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex())));

        state.changed(ex(), ex("10.0.0.9"), 2);
        assertEquals(1, state.filterModeChanges());
        assertEquals(2, state.sourceCounter(ip("10.0.0.9")));
        // The filter-mode change is still owed once: TO_EX with the current state, then the source change twice.
        assertEquals(
                List.of(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1", "10.0.0.9")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex("10.0.0.9"))));
        assertEquals(
                List.of(rec(BLOCK_OLD_SOURCES, "239.1.1.1", "10.0.0.9")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex("10.0.0.9"))));
        assertTrue(state.isPending());
        assertEquals(
                List.of(rec(BLOCK_OLD_SOURCES, "239.1.1.1", "10.0.0.9")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex("10.0.0.9"))));
        assertFalse(state.isPending());
    }

    @Test
    void aFilterModeChangeSupersedesPendingSourceChanges() {
        RetransmissionState state = new RetransmissionState();
        state.changed(Subscription.NONE, in("10.0.0.1"), 2);
        state.nextRecords(G, in("10.0.0.1"));
        state.changed(in("10.0.0.1"), ex(), 2);
        assertEquals(0, state.sourceCounter(ip("10.0.0.1")));
        assertEquals(
                List.of(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex())));
        assertEquals(
                List.of(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1")),
                IgmpHostOutput.groupRecords(state.nextRecords(G, ex())));
        assertFalse(state.isPending());
    }
}
