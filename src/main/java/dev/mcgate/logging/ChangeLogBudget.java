package dev.mcgate.logging;

import java.util.concurrent.TimeUnit;

/**
 * How many membership changes of one interface are logged line by line: the first {@link #LINES_PER_SECOND} of each
 * second; the rest of a burst is counted and summed up in one line when the second ends.
 *
 * <p>Why: 10 000 hosts joining at once made 10 000 INFO lines, which cost the loop more than the joins themselves and
 * buried everything else in the journal. Loop thread only; time is passed in.
 */
public final class ChangeLogBudget {

    /** Detailed lines per interface per second; e2e tests and operators' few joins stay well under it. */
    public static final int LINES_PER_SECOND = 50;

    public static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long windowStart;
    private boolean started;
    private int shown;
    private long joined;
    private long left;
    private long changed;

    /**
     * A change happened at {@code now}.
     *
     * @param joinedNow the group had no membership before
     * @param leftNow   the group has none now
     * @return true to log it in detail, false if it was counted for the summary instead
     */
    public boolean admit(long now, boolean joinedNow, boolean leftNow) {
        if (!started || !hasSuppressed() && now - windowStart >= WINDOW_NANOS) {
            started = true;
            windowStart = now;
            shown = 0;
        }
        if (shown < LINES_PER_SECOND) {
            shown++;
            return true;
        }
        if (joinedNow) {
            joined++;
        } else if (leftNow) {
            left++;
        } else {
            changed++;
        }
        return false;
    }

    /** Changes counted, not logged, since the last summary. */
    public boolean hasSuppressed() {
        return joined + left + changed > 0;
    }

    /** When the summary of the current window is due. */
    public long windowEnd() {
        return windowStart + WINDOW_NANOS;
    }

    /**
     * The summary line's text (after "IF: ") for what was counted, and a new window from {@code now}; the next
     * changes are logged in detail again.
     */
    public String summarize(long now) {
        String line = joined + " groups joined, " + left + " left, " + changed + " changed in the last second"
                + " (beyond the first " + LINES_PER_SECOND + ", each one is logged at debug)";
        joined = 0;
        left = 0;
        changed = 0;
        windowStart = now;
        shown = 0;
        return line;
    }
}
