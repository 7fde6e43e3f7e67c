package dev.mcgate.lab;

/**
 * Classifies the sequence numbers of one sender as new, duplicate or reordered, and counts the gaps as lost.
 *
 * <p>Remembers which of the last {@link #WINDOW} sequence numbers below the highest arrived, in a ring of bits, so
 * memory stays fixed however long the run. A datagram older than that window cannot be classified; it is
 * counted as {@link #tooOld()} (and as reordered), not as new, so in that rare case it also stays counted as lost.
 */
final class SequenceTracker {

    static final int WINDOW = 1 << 20;

    private final long[] seen = new long[WINDOW / 64];
    private long lowest = Long.MAX_VALUE;
    private long highest = -1;
    private boolean any;
    private long unique;
    private long duplicated;
    private long reordered;
    private long tooOld;

    /** What happened to one datagram. */
    enum Outcome {
        NEW,
        REORDERED,
        DUPLICATE,
        TOO_OLD
    }

    Outcome record(long sequence) {
        if (!any) {
            any = true;
            lowest = sequence;
            highest = sequence;
            mark(sequence);
            unique++;
            return Outcome.NEW;
        }
        if (sequence > highest) {
            // The slots of highest+1 .. sequence held numbers that just fell out of the window: clear them.
            long advance = sequence - highest;
            if (advance >= WINDOW) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s <= sequence; s++) {
                    clear(s);
                }
            }
            highest = sequence;
            mark(sequence);
            unique++;
            return Outcome.NEW;
        }
        if (highest - sequence >= WINDOW) {
            tooOld++;
            reordered++;
            return Outcome.TOO_OLD;
        }
        if (isMarked(sequence)) {
            duplicated++;
            return Outcome.DUPLICATE;
        }
        mark(sequence);
        unique++;
        reordered++;
        lowest = Math.min(lowest, sequence);
        return Outcome.REORDERED;
    }

    /** Distinct sequence numbers received. */
    long unique() {
        return unique;
    }

    /** Sequence numbers between the lowest and the highest received that never arrived. */
    long lost() {
        return any ? (highest - lowest + 1) - unique : 0;
    }

    long duplicated() {
        return duplicated;
    }

    /** Datagrams that arrived after one with a higher sequence number (duplicates not included). */
    long reordered() {
        return reordered;
    }

    long tooOld() {
        return tooOld;
    }

    private int slot(long sequence) {
        return (int) Math.floorMod(sequence, (long) WINDOW);
    }

    private void mark(long sequence) {
        int slot = slot(sequence);
        seen[slot >>> 6] |= 1L << slot;
    }

    private void clear(long sequence) {
        int slot = slot(sequence);
        seen[slot >>> 6] &= ~(1L << slot);
    }

    private boolean isMarked(long sequence) {
        int slot = slot(sequence);
        return (seen[slot >>> 6] & (1L << slot)) != 0;
    }
}
