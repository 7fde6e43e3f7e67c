package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** IGMP dropped on the capture threads, before the event loop, because an interface sent more than its share. */
public enum IgmpAdmissionCounter implements Counter {
    RATE_LIMITED("igmp_rate_limited", "IGMP messages dropped because the interface exceeded its igmp-rate-limit"),
    INBOX_SHARE(
            "igmp_inbox_share_drops",
            "IGMP messages dropped because the interface's share of the loop's inbox was full");

    private static final List<String> LABELS = List.of("interface");

    private final String metric;
    private final String help;

    IgmpAdmissionCounter(String metric, String help) {
        this.metric = metric;
        this.help = help;
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
        return LABELS;
    }
}
