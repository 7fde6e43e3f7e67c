package dev.mcgate.time;

import java.time.Duration;

/**
 * The clock and timer service the protocol state machines use instead of the wall clock.
 *
 * <p>Implementations run every task on one thread (the event loop, or the test calling
 * {@link ManualScheduler#advance}), so state touched only from tasks needs no locking.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible, after the current task). */
    Timer schedule(Duration delay, Runnable task);

    /**
     * As {@link #schedule(Duration, Runnable)}, with a name for the loop's slow-task and failure lines ("igmp:query");
     * without one, the name is made from the class that scheduled the task. Schedulers that log nothing ignore it.
     */
    default Timer schedule(String name, Duration delay, Runnable task) {
        return schedule(delay, task);
    }

    /** Time left until a timer fires, never negative; zero for a timer that ran or was cancelled. */
    default Duration remaining(Timer timer) {
        return timer.isPending() ? Duration.ofNanos(Math.max(0, timer.deadlineNanos() - nanoTime())) : Duration.ZERO;
    }
}
