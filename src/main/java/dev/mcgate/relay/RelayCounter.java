package dev.mcgate.relay;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What each relay's port counts: datagrams the forwarder handed it, delivered to consumers or dropped. */
public enum RelayCounter implements Counter {
    DATAGRAMS(
            "relay_datagrams",
            "Datagrams the forwarder sent into a relay and it handed to its consumers",
            List.of("relay")),
    DROPS("relay_drops", "Datagrams sent into a relay that no consumer got, by reason", List.of("relay", "reason"));

    private final CounterSpec spec;

    RelayCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
