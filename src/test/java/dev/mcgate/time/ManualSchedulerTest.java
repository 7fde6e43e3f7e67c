package dev.mcgate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    @Test
    void tasksRunAtTheirDeadlineInDeadlineThenSchedulingOrder() {
        ManualScheduler s = new ManualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + s.nanoTime()));
        s.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + s.nanoTime()));
        s.schedule(Duration.ofSeconds(2), () -> ran.add("c@" + s.nanoTime()));

        s.advance(Duration.ofMillis(1999));
        assertEquals(List.of("a@1000000000"), ran);
        s.advance(Duration.ofMillis(1));
        assertEquals(List.of("a@1000000000", "b@2000000000", "c@2000000000"), ran);
    }

    @Test
    void aCancelledTimerNeverRunsAndATaskMayScheduleAnother() {
        ManualScheduler s = new ManualScheduler();
        List<Long> ran = new ArrayList<>();
        Timer cancelled = s.schedule(Duration.ofSeconds(1), () -> ran.add(-1L));
        // Re-arming from inside a task, as a querier's periodic general query does.
        Runnable[] periodic = new Runnable[1];
        periodic[0] = () -> {
            ran.add(s.nanoTime() / 1_000_000_000L);
            s.schedule(Duration.ofSeconds(3), periodic[0]);
        };
        s.schedule(Duration.ofSeconds(3), periodic[0]);

        cancelled.cancel();
        s.advance(Duration.ofSeconds(10));

        assertEquals(List.of(3L, 6L, 9L), ran);
        assertFalse(cancelled.isPending());
        assertEquals(1, s.pendingCount());
    }

    @Test
    void remainingCountsDownToZero() {
        ManualScheduler s = new ManualScheduler();
        Timer t = s.schedule(Duration.ofMillis(260_000), () -> {});
        s.advance(Duration.ofMillis(10_000));

        assertEquals(Duration.ofMillis(250_000), s.remaining(t));
        assertTrue(t.isPending());
        s.advance(Duration.ofMillis(250_000));
        assertEquals(Duration.ZERO, s.remaining(t));
        assertFalse(t.isPending());
    }
}
