package dev.mcgate.time;

/**
 * A scheduled task that can be cancelled: the protocol timers of RFC 3376 (group timer, source timers, the querier's
 * timers) are each one of these, cancelled and scheduled again when the RFC says "set the timer to ...".
 */
public interface Timer {

    /** Cancels the task if it has not run yet; harmless after it ran or was cancelled. */
    void cancel();

    /** True until the task runs or is cancelled. */
    boolean isPending();

    /** When the task is (or was) due, on the scheduler's clock in nanoseconds. */
    long deadlineNanos();
}
