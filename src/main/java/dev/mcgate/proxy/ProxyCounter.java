package dev.mcgate.proxy;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the IGMP proxy core counts (RFC 4605): membership events it filtered or ignored, and its publications. */
public enum ProxyCounter implements Counter {
    FILTERED(
            "proxy_filtered_events",
            "Downstream membership events a filter rule turned into nothing, by verdict "
                    + "(link-local, group-denied, scope-boundary, ssm-exclude)",
            List.of("interface", "verdict")),
    IGNORED_EVENTS("proxy_ignored_events", "Membership events from an interface that is not a downstream", List.of()),
    PUBLICATIONS(
            "proxy_publications",
            "Membership snapshots published to the forwarding plane (the first, empty, " + "one included)",
            List.of());

    private final CounterSpec spec;

    ProxyCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
