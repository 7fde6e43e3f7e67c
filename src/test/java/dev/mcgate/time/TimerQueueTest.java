package dev.mcgate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The indexed timer heap: deadline-then-scheduling order, cancel anywhere in O(log n), against a plain model. */
class TimerQueueTest {

    private final TimerQueue queue = new TimerQueue();
    private final List<String> ran = new ArrayList<>();

    private Timer add(long deadline, String label) {
        return queue.add(deadline, () -> ran.add(label));
    }

    private void runAllDue(long now) {
        while (queue.runOneDue(now)) {
            assertTrue(queue.isValidHeap());
        }
    }

    @Test
    void tasksRunByDeadlineAndTiesInSchedulingOrder() {
        add(30, "c1");
        add(10, "a");
        add(30, "c2");
        add(20, "b");
        add(30, "c3");
        add(10, "a2");

        runAllDue(29);
        assertEquals(List.of("a", "a2", "b"), ran);
        assertEquals(30, queue.nextDeadline());
        runAllDue(30);
        assertEquals(List.of("a", "a2", "b", "c1", "c2", "c3"), ran);
        assertEquals(Long.MAX_VALUE, queue.nextDeadline());
    }

    @Test
    void cancelOfTheHeadTheMiddleAndTheLastLeavesTheOthersInOrder() {
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            timers.add(add(i, "t" + i));
        }
        Timer head = timers.get(0);
        Timer middle = timers.get(7);
        Timer last = timers.get(14);
        head.cancel();
        assertTrue(queue.isValidHeap());
        middle.cancel();
        assertTrue(queue.isValidHeap());
        last.cancel();
        assertTrue(queue.isValidHeap());

        assertFalse(head.isPending() || middle.isPending() || last.isPending());
        assertEquals(12, queue.size());
        assertEquals(1, queue.nextDeadline());
        runAllDue(100);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 14; i++) {
            if (i != 7) {
                expected.add("t" + i);
            }
        }
        assertEquals(expected, ran);
    }

    @Test
    void cancellingATimerThatRanLeavesTheTimerNowInItsOldSlotAlone() {
        Timer first = add(1, "first");
        Timer second = add(2, "second");
        add(3, "third");
        runAllDue(1);
        // "second" has moved into the slot "first" had: a cancel that trusted a stale slot would remove it.
        first.cancel();
        first.cancel();

        assertTrue(second.isPending());
        assertEquals(2, queue.size());
        runAllDue(3);
        assertEquals(List.of("first", "second", "third"), ran);
    }

    @Test
    void aRunningTaskMayScheduleAndCancelOthers() {
        Timer[] victim = new Timer[1];
        queue.add(5, () -> {
            ran.add("a");
            // Same deadline: runs after what was already set for 5, in scheduling order.
            queue.add(5, () -> ran.add("scheduled by a"));
            victim[0].cancel();
        });
        add(5, "b");
        victim[0] = add(5, "cancelled by a");
        add(6, "c");

        runAllDue(5);
        assertEquals(List.of("a", "b", "scheduled by a"), ran);
        assertFalse(victim[0].isPending());
        runAllDue(6);
        assertEquals(List.of("a", "b", "scheduled by a", "c"), ran);
    }

    @Test
    void pollDueTakesOnlyWhatIsDueAndKeepsTheName() {
        queue.add(10, "igmp:query", () -> {});
        Runnable unnamed = () -> {};
        queue.add(20, unnamed);

        assertNull(queue.pollDue(9));
        TimerQueue.Entry named = queue.pollDue(10);
        assertEquals("igmp:query", named.name());
        assertFalse(named.isPending());
        assertEquals("timer:TimerQueueTest", queue.pollDue(20).name());
    }

    /** Slot writes per cancel stay within a constant times log2(n): no search, no rebuild. */
    @Test
    void cancelMovesAtMostTwoEntriesPerLevelAndKeepsTheHeap() {
        int n = 1 << 16;
        SplittableRandom random = new SplittableRandom(15);
        List<Timer> timers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Few distinct deadlines, so that ties (decided by scheduling order) are everywhere in the heap.
            timers.add(queue.add(random.nextLong(64), () -> {}));
        }
        int levels = 32 - Integer.numberOfLeadingZeros(n);
        long worst = 0;
        for (int i = 0; i < n / 2; i++) {
            Timer t = timers.get(random.nextInt(n));
            long before = queue.moves();
            t.cancel();
            worst = Math.max(worst, queue.moves() - before);
        }
        assertTrue(queue.isValidHeap());
        // A removal fills the hole with the last entry, which then moves down or up, one write per level: a search or
        // a rebuild would write thousands of slots here.
        assertTrue(worst <= 2 * levels, "a cancel wrote " + worst + " slots in a heap of " + levels + " levels");
        assertEquals(n - timers.stream().filter(Timer::isPending).count(), n - queue.size());
    }

    /** Random schedules, cancels and runs, compared step by step with a sorted set of (deadline, order). */
    @Test
    void behavesAsASortedSetModelUnderRandomOperations() {
        record Scheduled(long deadline, long order, String label) {}
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TimerQueue q = new TimerQueue();
            List<String> fired = new ArrayList<>();
            TreeSet<Scheduled> model =
                    new TreeSet<>(Comparator.comparingLong(Scheduled::deadline).thenComparingLong(Scheduled::order));
            List<String> modelFired = new ArrayList<>();
            List<Timer> timers = new ArrayList<>();
            List<Scheduled> modelTimers = new ArrayList<>();
            long now = 0;
            for (int step = 0; step < 5000; step++) {
                int op = random.nextInt(10);
                String where = "seed " + seed + " step " + step;
                if (op < 5) {
                    long deadline = now + random.nextLong(50);
                    String label = "t" + timers.size();
                    timers.add(q.add(deadline, () -> fired.add(label)));
                    Scheduled s = new Scheduled(deadline, modelTimers.size(), label);
                    modelTimers.add(s);
                    model.add(s);
                } else if (op < 8 && !timers.isEmpty()) {
                    // Any timer: pending, already run or already cancelled.
                    int pick = random.nextInt(timers.size());
                    timers.get(pick).cancel();
                    model.remove(modelTimers.get(pick));
                    assertFalse(timers.get(pick).isPending(), where);
                } else {
                    now += random.nextLong(20);
                    while (q.runOneDue(now)) {
                        // what ran is compared with the model's order at the end
                    }
                    while (!model.isEmpty() && model.first().deadline() <= now) {
                        modelFired.add(model.pollFirst().label());
                    }
                }
                assertEquals(model.size(), q.size(), where);
                assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.first().deadline(), q.nextDeadline(), where);
            }
            assertTrue(q.isValidHeap(), "seed " + seed);
            assertEquals(modelFired, fired, "seed " + seed);
            for (int i = 0; i < timers.size(); i++) {
                assertEquals(model.contains(modelTimers.get(i)), timers.get(i).isPending(), "seed " + seed);
            }
        }
    }
}
