package dev.mcgate.time;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A scheduler that other threads can hand work to: the event loop in the daemon, a hand-driven one in tests.
 *
 * <p>What the daemon's wiring classes need of the loop, so that they run on a {@link ManualScheduler} in unit tests.
 * Every task carries a short name ("control:status", "igmp:report"): the loop's slow-task and failure lines, and the
 * exceptions of {@link #call}, say which task it was.
 */
public interface Loop extends Scheduler {

    /**
     * Queues an event for the loop; never blocks.
     *
     * @return false if the event was dropped (inbox full) or refused (the loop is stopping); either is counted
     */
    boolean post(String name, Runnable event);

    /**
     * Runs a request on the loop and waits up to {@code timeout} for its answer.
     *
     * @throws LoopRejectedException if the loop is stopping: the request did not run and will not
     * @throws LoopCallTimeoutException on timeout: it says whether the request was cancelled before it ran or is still
     *         running; a cancelled request never runs
     * @throws Exception what the request threw
     */
    <T> T call(String name, Callable<T> request, Duration timeout) throws Exception;

    /**
     * As {@link #call}, but served before the events already queued (a control request must not wait behind a flood
     * of IGMP): it sees the state as it is, not as it will be once those events have run. Same contract otherwise.
     */
    default <T> T callFirst(String name, Callable<T> request, Duration timeout) throws Exception {
        return call(name, request, timeout);
    }
}
