package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.lab.SequenceTracker.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceTrackerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // arrivals                 | unique | lost | duplicated | reordered
                "0 1 2 3 4 5 6 7 8 9        | 10     | 0    | 0          | 0",
                "0 1 2 5 6 9                | 6      | 4    | 0          | 0",
                "0 1 1 2 2 2                | 3      | 0    | 3          | 0",
                "0 2 1 3                    | 4      | 0    | 0          | 1",
                "0 3 2 1                    | 4      | 0    | 0          | 2",
                "0 1 3 2 3 2                | 4      | 0    | 2          | 1",
                "100 101 102 103            | 4      | 0    | 0          | 0",
                "5 6 4                      | 3      | 0    | 0          | 1",
                "7                          | 1      | 0    | 0          | 0",
                "0 10 5                     | 3      | 8    | 0          | 1",
            })
    void countsCraftedSequences(String arrivals, long unique, long lost, long duplicated, long reordered) {
        SequenceTracker tracker = new SequenceTracker();
        for (String s : arrivals.trim().split("\\s+")) {
            tracker.record(Long.parseLong(s));
        }
        assertEquals(unique, tracker.unique(), "unique");
        assertEquals(lost, tracker.lost(), "lost");
        assertEquals(duplicated, tracker.duplicated(), "duplicated");
        assertEquals(reordered, tracker.reordered(), "reordered");
    }

    @Test
    void reportsTheOutcomeOfEachDatagram() {
        SequenceTracker tracker = new SequenceTracker();
        assertEquals(Outcome.NEW, tracker.record(0));
        assertEquals(Outcome.NEW, tracker.record(2));
        assertEquals(Outcome.REORDERED, tracker.record(1));
        assertEquals(Outcome.DUPLICATE, tracker.record(1));
        assertEquals(Outcome.DUPLICATE, tracker.record(2));
    }

    @Test
    void forgetsWhatFellOutOfTheWindow() {
        SequenceTracker tracker = new SequenceTracker();
        tracker.record(0);
        tracker.record(SequenceTracker.WINDOW); // 0 is now outside the window
        assertEquals(Outcome.TOO_OLD, tracker.record(0));
        assertEquals(Outcome.REORDERED, tracker.record(1)); // just inside: still classified
        assertEquals(Outcome.DUPLICATE, tracker.record(1));
        // A jump of several windows clears every slot: an old slot must not pass for a duplicate.
        tracker.record(5L * SequenceTracker.WINDOW + 1);
        assertEquals(Outcome.REORDERED, tracker.record(4L * SequenceTracker.WINDOW + 2));
    }

    @Test
    void slotsReusedAfterTheWindowMovesOnAreNotMistakenForDuplicates() {
        SequenceTracker tracker = new SequenceTracker();
        for (long s = 0; s < 3L * SequenceTracker.WINDOW; s += 2) { // every even number: odd ones lost
            assertEquals(Outcome.NEW, tracker.record(s));
        }
        long highest = 3L * SequenceTracker.WINDOW - 2;
        assertEquals(Outcome.REORDERED, tracker.record(highest - 1)); // odd, late, inside the window
        assertEquals(3L * SequenceTracker.WINDOW / 2 - 2, tracker.lost()); // all odd ones but the late one
    }

    @Test
    void aLateDatagramInAReusedSlotIsNotADuplicateOfTheOldNumber() {
        SequenceTracker tracker = new SequenceTracker();
        for (long s = 0; s < SequenceTracker.WINDOW; s++) {
            tracker.record(s); // every slot marked
        }
        tracker.record(SequenceTracker.WINDOW + 5); // WINDOW .. WINDOW+4 lost, reuse slots 0..4
        assertEquals(Outcome.REORDERED, tracker.record(SequenceTracker.WINDOW + 2));
        assertEquals(Outcome.DUPLICATE, tracker.record(SequenceTracker.WINDOW + 2));
        assertEquals(4, tracker.lost());
    }

    @Test
    void agreesWithANaiveModelOnRandomisedArrivals() {
        Random random = new Random(20261123);
        for (int round = 0; round < 200; round++) {
            List<Long> arrivals = new ArrayList<>();
            long start = random.nextInt(1000);
            for (long s = start; s < start + 500; s++) {
                if (random.nextInt(10) == 0) {
                    continue; // lost
                }
                arrivals.add(s);
                if (random.nextInt(20) == 0) {
                    arrivals.add(s); // duplicated
                }
            }
            for (int i = 0; i < arrivals.size() / 10; i++) { // local reordering
                int a = random.nextInt(arrivals.size());
                int b = Math.min(arrivals.size() - 1, a + random.nextInt(5));
                Collections.swap(arrivals, a, b);
            }
            SequenceTracker tracker = new SequenceTracker();
            arrivals.forEach(tracker::record);

            Set<Long> seen = new HashSet<>();
            long duplicated = 0;
            long reordered = 0;
            long highest = Long.MIN_VALUE;
            for (long s : arrivals) {
                if (!seen.add(s)) {
                    duplicated++;
                } else if (s < highest) {
                    reordered++;
                }
                highest = Math.max(highest, s);
            }
            long min = Collections.min(arrivals);
            long max = Collections.max(arrivals);
            assertEquals(seen.size(), tracker.unique(), "unique, round " + round);
            assertEquals(max - min + 1 - seen.size(), tracker.lost(), "lost, round " + round);
            assertEquals(duplicated, tracker.duplicated(), "duplicated, round " + round);
            assertEquals(reordered, tracker.reordered(), "reordered, round " + round);
        }
    }
}
