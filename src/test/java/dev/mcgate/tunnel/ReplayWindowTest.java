package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sliding anti-replay window (RFC 4303 §3.4.3, RFC 6479). */
class ReplayWindowTest {

    private final ReplayWindow w = new ReplayWindow();

    @Test
    void inOrderCountersAreAllNew() {
        for (long c = 0; c < 5000; c++) {
            assertTrue(w.accept(c), "counter " + c);
        }
        assertEquals(4999, w.highest());
    }

    @Test
    void outOfOrderWithinTheWindowIsAcceptedOnce() {
        assertTrue(w.accept(2000));
        assertTrue(w.accept(1998));
        assertTrue(w.accept(1999));
        assertTrue(w.accept(2000 - ReplayWindow.SIZE + 1), "the oldest counter still inside the window");
        assertFalse(w.accept(1999));
        assertEquals(ReplayWindow.Verdict.DUPLICATE, w.check(1998));
    }

    @Test
    void duplicateOfTheHighestIsRefused() {
        assertTrue(w.accept(7));
        assertEquals(ReplayWindow.Verdict.DUPLICATE, w.check(7));
        assertFalse(w.accept(7));
    }

    @Test
    void olderThanTheWindowIsTooOld() {
        assertTrue(w.accept(5000));
        assertEquals(ReplayWindow.Verdict.TOO_OLD, w.check(5000 - ReplayWindow.SIZE));
        assertEquals(ReplayWindow.Verdict.NEW, w.check(5000 - ReplayWindow.SIZE + 1));
        assertEquals(ReplayWindow.Verdict.TOO_OLD, w.check(-1));
    }

    @Test
    void checkDoesNotMoveTheWindow() {
        assertTrue(w.accept(10));
        assertEquals(ReplayWindow.Verdict.NEW, w.check(1_000_000));
        assertEquals(ReplayWindow.Verdict.NEW, w.check(9), "a checked (unauthenticated) far counter changed nothing");
        assertEquals(10, w.highest());
    }

    @Test
    void bitsOfBlocksTheWindowSlidOverAreCleared() {
        assertTrue(w.accept(64));
        // Jump far ahead (more than the ring): the ring position of 64 is reused for a new block.
        long far = 64 + 64L * 32;
        assertTrue(w.accept(far));
        assertTrue(w.accept(far - 1), "a fresh counter in a reused block is not mistaken for a duplicate");
        assertTrue(w.accept(far - 64 * 10));
        assertFalse(w.accept(far - 64 * 10));
    }

    @Test
    void everyCounterInAShuffledRunIsAcceptedExactlyOnce() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        long base = 0;
        for (int round = 0; round < 50; round++) {
            int[] order = r.ints(0, 512).distinct().limit(512).toArray();
            for (int i : order) {
                assertTrue(w.accept(base + i));
            }
            for (int i : order) {
                assertFalse(w.accept(base + i));
            }
            base += 512;
        }
    }
}
