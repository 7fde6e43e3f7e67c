package dev.mcgate.daemon;

import java.time.Duration;

/**
 * How long an interface whose capture stopped waits before it is opened again: 1 s, doubled after each stop that
 * follows an open within the longest wait (a capture that dies at once must not spin), up to 60 s; back to 1 s once a
 * port has captured for 60 s. Loop-owned.
 */
final class ReopenBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofSeconds(60);

    private int quickFailures;
    private Duration last = FIRST;

    /**
     * The wait before the next open.
     *
     * @param capturedFor how long the port that stopped had been open
     */
    Duration next(Duration capturedFor) {
        if (capturedFor.compareTo(LONGEST) >= 0) {
            quickFailures = 0;
        }
        Duration wait = FIRST.multipliedBy(1L << Math.min(quickFailures, 6));
        quickFailures++;
        last = wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
        return last;
    }

    /** The wait after an open that failed while reopening: the last wait again. */
    Duration again() {
        return last;
    }
}
