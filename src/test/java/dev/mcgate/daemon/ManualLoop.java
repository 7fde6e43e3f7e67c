package dev.mcgate.daemon;

import dev.mcgate.time.Loop;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.concurrent.Callable;

/** A {@link Loop} on a {@link ManualScheduler}: posted events run at the next {@code runDue}, calls run at once. */
final class ManualLoop implements Loop {

    final ManualScheduler scheduler = new ManualScheduler();
    /** Set to answer every call as a loop that did not take the task in time: it never runs. */
    volatile boolean refuseCalls;
    /** Calls answered so far; with {@link #refuseFromCall} set, the calls from that one on are refused. */
    int calls;

    int refuseFromCall = Integer.MAX_VALUE;

    @Override
    public long nanoTime() {
        return scheduler.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, task);
    }

    @Override
    public boolean post(String name, Runnable event) {
        scheduler.schedule(name, Duration.ZERO, event);
        return true;
    }

    @Override
    public <T> T call(String name, Callable<T> request, Duration timeout) throws Exception {
        if (refuseCalls || ++calls >= refuseFromCall) {
            throw dev.mcgate.time.LoopCallTimeoutException.cancelled(name, timeout, "refused by the test");
        }
        return request.call();
    }
}
