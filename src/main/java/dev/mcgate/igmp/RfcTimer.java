package dev.mcgate.igmp;

import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;

/**
 * One RFC 3376 timer (a group timer, a source timer, a host present timer, the other querier present timer): a value
 * that counts down to zero and then runs its expiry action once. "Set to T" restarts it; "lower to T" only shortens a
 * running timer that has more than T left (RFC 3376 §6.6.1); a stopped timer reads zero.
 */
final class RfcTimer {

    private final Scheduler scheduler;
    private final Runnable onExpiry;
    private Timer timer;

    RfcTimer(Scheduler scheduler, Runnable onExpiry) {
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    void set(Duration value) {
        stop();
        timer = scheduler.schedule(value, onExpiry);
    }

    /** Lowers a running timer to {@code value} if it has more left; a stopped timer stays stopped. */
    void lowerTo(Duration value) {
        if (isRunning() && remaining().compareTo(value) > 0) {
            set(value);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Counting down, with time left: a timer due this very instant counts as expired. */
    boolean isRunning() {
        return timer != null && timer.isPending() && timer.deadlineNanos() > scheduler.nanoTime();
    }

    Duration remaining() {
        return timer == null ? Duration.ZERO : scheduler.remaining(timer);
    }
}
