package dev.mcgate.tunnel;

/**
 * Anti-replay for one direction of one session: a sliding window of {@value #SIZE} counters below the highest seen,
 * kept as a bitmap of 64-bit blocks that is advanced block by block (RFC 6479's ring), as RFC 4303 §3.4.3 describes.
 *
 * <p>{@link #check} is called before the packet is authenticated and changes nothing, {@link #accept} after: a forged
 * packet must not move the window. Thread-safe on its own monitor, which only the receive side takes (the loop never
 * does): {@link #accept} checks again, so of two copies of one message that pass {@link #check} at once only one is
 * accepted.
 */
public final class ReplayWindow {

    /** Counters tracked below the highest; a power of two times 64, minus one block of slack (RFC 6479 §2). */
    public static final int SIZE = 1024;
    /** SIZE / 64 + 1 blocks rounded up to a power of two, so that the ring index is a mask. */
    private static final int BLOCKS = Integer.highestOneBit(SIZE / 64) << 1;

    private final long[] bitmap = new long[BLOCKS];
    private long highest = -1;

    /** The verdict on a counter: new (and not older than the window), or why not. */
    public enum Verdict {
        NEW,
        DUPLICATE,
        TOO_OLD
    }

    /** Whether {@code counter} could be accepted; no state changes. */
    public synchronized Verdict check(long counter) {
        if (counter < 0) {
            return Verdict.TOO_OLD;
        }
        if (counter > highest) {
            return Verdict.NEW;
        }
        if (highest - counter >= SIZE) {
            return Verdict.TOO_OLD;
        }
        return (bitmap[blockOf(counter)] & bitOf(counter)) != 0 ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /** Records {@code counter} (an authenticated packet's); false if it was a replay or too old after all. */
    public synchronized boolean accept(long counter) {
        Verdict verdict = check(counter);
        if (verdict != Verdict.NEW) {
            return false;
        }
        if (counter > highest) {
            long fromBlock = highest < 0 ? -1 : highest >>> 6;
            long toBlock = counter >>> 6;
            // Clear the blocks the window slides over, at most the whole ring.
            long clear = Math.min(toBlock - fromBlock, bitmap.length);
            for (long i = 1; i <= clear; i++) {
                bitmap[(int) ((fromBlock + i) & (bitmap.length - 1))] = 0;
            }
            highest = counter;
        }
        bitmap[blockOf(counter)] |= bitOf(counter);
        return true;
    }

    /** The highest counter accepted, or -1. */
    public synchronized long highest() {
        return highest;
    }

    private int blockOf(long counter) {
        return (int) ((counter >>> 6) & (bitmap.length - 1));
    }

    private static long bitOf(long counter) {
        return 1L << (counter & 63);
    }
}
