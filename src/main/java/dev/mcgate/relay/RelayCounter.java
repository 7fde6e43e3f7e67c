package dev.mcgate.relay;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What each relay's port counts: datagrams the forwarder handed it, delivered to consumers or dropped. */
public enum RelayCounter implements Counter {
    DATAGRAMS(
            "relay_datagrams",
            "Datagrams the forwarder sent into a relay and it handed to its consumers",
            List.of("relay")),
    DROPS("relay_drops", "Datagrams sent into a relay that no consumer got, by reason", List.of("relay", "reason"));

    private final String metric;
    private final String help;
    private final List<String> labels;

    RelayCounter(String metric, String help, List<String> labels) {
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
