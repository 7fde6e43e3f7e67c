package dev.mcgate.time;

import java.time.Duration;

/**
 * A {@link Scheduler} whose clock moves only when a test says so: RFC timers are tested in milliseconds of real time.
 */
public final class ManualScheduler implements Scheduler {

    private final TimerQueue timers = new TimerQueue();
    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return timers.add(now + Math.max(0, delay.toNanos()), task);
    }

    @Override
    public Timer schedule(String name, Duration delay, Runnable task) {
        return timers.add(now + Math.max(0, delay.toNanos()), name, task);
    }

    /**
     * Moves the clock forward, running every task that falls due on the way at its own deadline (the clock reads the
     * task's deadline while it runs), including tasks scheduled by those tasks.
     */
    public void advance(Duration by) {
        long target = now + by.toNanos();
        while (timers.nextDeadline() <= target) {
            now = Math.max(now, timers.nextDeadline());
            timers.runOneDue(now);
        }
        now = target;
    }

    /** Runs what is due now (tasks scheduled with no delay) without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks waiting to run. */
    public int pendingCount() {
        return timers.size();
    }
}
