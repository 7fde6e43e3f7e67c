package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip4;
import org.junit.jupiter.api.Test;

/** The pacing arithmetic: gaps kept from a base, long silences and clock steps not reproduced, a backlog let go. */
class FlowPacerTest {

    private static final long MS = 1_000_000;
    private static final long SECOND = 1000 * MS;
    private static final RelayFlow A = new RelayFlow(Ip4.parse("10.1.0.5"), Ip4.parse("239.1.1.1"), 5000);
    private static final RelayFlow B = new RelayFlow(Ip4.parse("10.1.0.6"), Ip4.parse("239.1.1.1"), 5000);

    private final FlowPacer pacer = new FlowPacer(SECOND);

    @Test
    void theGapsBetweenArrivalsAreKept() {
        long arrival = 1_700_000_000_000_000_000L; // epoch ns on the publisher; the sender's clock is another
        long now = 5 * SECOND;
        assertEquals(now, pacer.sendAt(A, arrival, now), "the first record of a flow goes at once");
        assertEquals(now + 3 * MS, pacer.sendAt(A, arrival + 3 * MS, now + MS));
        assertEquals(now + 10 * MS, pacer.sendAt(A, arrival + 10 * MS, now + 3 * MS));
    }

    @Test
    void lateWakeUpsDoNotAddUp() {
        long now = 0;
        pacer.sendAt(A, 0, now);
        // The sender woke 0.4 ms late each time; each record is still due at base + its offset.
        assertEquals(1 * MS, pacer.sendAt(A, 1 * MS, 0));
        assertEquals(2 * MS, pacer.sendAt(A, 2 * MS, 1 * MS + 400_000));
        assertEquals(3 * MS, pacer.sendAt(A, 3 * MS, 2 * MS + 400_000));
        long late = 3 * MS + 900_000;
        assertEquals(late, pacer.sendAt(A, 3 * MS + 500_000, late), "one already due goes at once");
    }

    @Test
    void aSilenceLongerThanTheBoundIsNotReproduced() {
        pacer.sendAt(A, 0, 0);
        long now = 10 * MS;
        assertEquals(now, pacer.sendAt(A, 5 * SECOND, now));
        assertEquals(now + 2 * MS, pacer.sendAt(A, 5 * SECOND + 2 * MS, now), "spacing resumes from the new base");
    }

    @Test
    void aClockStepBackIsNotWaitedFor() {
        pacer.sendAt(A, 10 * SECOND, 0);
        assertEquals(MS, pacer.sendAt(A, 9 * SECOND, MS));
    }

    @Test
    void aBacklogMoreThanTheBoundBehindIsLetGo() {
        pacer.sendAt(A, 0, 0);
        // The subscriber was away for 3 s: records 1 ms apart are not replayed 1 ms apart from a base 3 s ago.
        long now = 3 * SECOND;
        assertEquals(now, pacer.sendAt(A, MS, now));
        assertEquals(now + MS, pacer.sendAt(A, 2 * MS, now));
    }

    @Test
    void flowsArePacedEachOnItsOwn() {
        pacer.sendAt(A, 0, 0);
        assertEquals(MS, pacer.sendAt(B, 500 * MS, MS), "another flow's first record is not held back");
        assertEquals(4 * MS, pacer.sendAt(A, 4 * MS, MS));
        assertEquals(2, pacer.flows());
    }
}
