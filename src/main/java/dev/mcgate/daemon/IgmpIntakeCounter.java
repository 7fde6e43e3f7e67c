package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the capture threads' IGMP intake counts, per interface. */
public enum IgmpIntakeCounter implements Counter {
    MESSAGES("igmp_messages", "IGMP messages heard, by kind (malformed ones by reason; own: sent from this host)");

    private final CounterSpec spec;

    IgmpIntakeCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface", "kind", "reason"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
