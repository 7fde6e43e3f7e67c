package dev.mcgate.control;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the control socket's server counts. */
public enum ControlCounter implements Counter {
    ANSWERED(
            "control_requests_answered",
            "Control requests answered (error answers to bad requests included)",
            List.of()),
    REFUSED(
            "control_connections_refused",
            "Control connections refused or cut short, by reason (busy, timeout, too-long, bad-request, not-permitted, "
                    + "io)",
            List.of("reason"));

    private final CounterSpec spec;

    ControlCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
