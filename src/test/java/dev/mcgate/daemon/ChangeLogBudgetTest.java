package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A burst of membership changes is logged line by line up to a budget per second, then summed up. */
class ChangeLogBudgetTest {

    private static final long SECOND = ChangeLogBudget.WINDOW_NANOS;

    @Test
    void theFirstChangesOfASecondAreDetailedTheRestCountedAndSummedUp() {
        ChangeLogBudget b = new ChangeLogBudget();
        int detailed = 0;
        for (int i = 0; i < 1000; i++) {
            if (b.admit(1_000 + i, i % 10 != 9, i % 10 == 9)) {
                detailed++;
            }
        }
        assertEquals(ChangeLogBudget.LINES_PER_SECOND, detailed);
        assertTrue(b.hasSuppressed());
        assertEquals(1_000 + SECOND, b.windowEnd());
        // 950 counted: changes 50..999, of which every tenth (i % 10 == 9) is a leave: 95 leaves, 855 joins.
        String summary = b.summarize(1_000 + SECOND);
        assertTrue(summary.startsWith("855 groups joined, 95 left, 0 changed in the last second"), summary);
        assertFalse(b.hasSuppressed());
        assertTrue(b.admit(1_000 + SECOND + 1, true, false), "a new second: detailed again");
    }

    @Test
    void fewChangesAreAllDetailedSecondAfterSecond() {
        ChangeLogBudget b = new ChangeLogBudget();
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < ChangeLogBudget.LINES_PER_SECOND; i++) {
                assertTrue(b.admit(s * SECOND + i, true, false));
            }
        }
        assertFalse(b.hasSuppressed());
    }

    @Test
    void everyChangeStillReachesTheProxyAndOneSummaryIsScheduledPerBurst() {
        ManualScheduler clock = new ManualScheduler();
        List<IpAddress> passed = new ArrayList<>();
        MembershipListener next = (name, group, now) -> passed.add(group);
        QuerierListener querier = (name, address, thisRouter) -> {};
        MembershipLog log = new MembershipLog(next, querier, clock);
        for (int i = 0; i < 300; i++) {
            log.subscriptionChanged(
                    "down1", new Ip4(Ip4.parse("239.5.0.0").bits() + i), dev.mcgate.host.TestValues.ex());
        }
        assertEquals(300, passed.size());
        assertEquals(1, clock.pendingCount(), "one summary timer for the burst");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, clock.pendingCount());
    }
}
