package dev.mcgate.control;

import dev.mcgate.counters.Counter;
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

    private final String metric;
    private final String help;
    private final List<String> labels;

    ControlCounter(String metric, String help, List<String> labels) {
        this.metric = metric;
        this.help = help;
        this.labels = labels;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public List<String> labelNames() {
        return labels;
    }
}
