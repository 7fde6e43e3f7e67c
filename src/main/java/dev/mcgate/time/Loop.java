package dev.mcgate.time;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A scheduler that other threads can hand work to: the event loop in the daemon, a hand-driven one in tests.
 *
 * <p>What the daemon's wiring classes need of the loop, so that they run on a {@link ManualScheduler} in unit tests.
 */
public interface Loop extends Scheduler {

    /**
     * Queues an event for the loop; never blocks.
     *
     * @return false if the event was dropped (and counted)
     */
    boolean post(Runnable event);

    /** Runs a request on the loop and waits for its answer. */
    <T> T call(Callable<T> request, Duration timeout) throws Exception;
}
