package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** IGMP dropped on the capture threads, before the event loop, because an interface sent more than its share. */
public enum IgmpAdmissionCounter implements Counter {
    RATE_LIMITED("igmp_rate_limited", "IGMP messages dropped because the interface exceeded its igmp-rate-limit"),
    INBOX_SHARE(
            "igmp_inbox_share_drops",
            "IGMP messages dropped because the interface's share of the loop's inbox was full");

    private final CounterSpec spec;

    IgmpAdmissionCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
