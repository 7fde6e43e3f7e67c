package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** The event loop's own counters (read through {@code EventLoop.counts()}, which counts them). */
public enum LoopCounter implements Counter {
    INBOX_DROPS("loop_inbox_drops", "Events dropped because the event loop's inbox was full"),
    FAILED_TASKS("loop_failed_tasks", "Event loop tasks that threw (see the log)"),
    REJECTED_TASKS("loop_rejected_tasks", "Events and calls refused because the event loop was stopping"),
    TIMED_OUT_CALLS(
            "loop_timed_out_calls", "Calls to the event loop that got no answer in time (cancelled or still running)"),
    SLOW_TASKS("loop_slow_tasks", "Event loop tasks that ran longer than the slow-task threshold (see the log)");

    private final CounterSpec spec;

    LoopCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of());
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
