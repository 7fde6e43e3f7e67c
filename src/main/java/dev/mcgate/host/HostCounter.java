package dev.mcgate.host;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the proxy's host side counts on each upstream (RFC 4605 section 4.1). */
public enum HostCounter implements Counter {
    STATE_CHANGE_REPORTS("upstream_v3_reports_sent", "IGMPv3 reports sent upstream (state changes and query answers)"),
    OLDER_REPORTS("upstream_older_reports_sent", "IGMPv1/v2 reports sent upstream (an older querier was heard)"),
    LEAVES("upstream_leaves_sent", "IGMPv2 Leave Group messages sent upstream"),
    QUERIES_HEARD("upstream_queries_heard", "Queries heard on the upstream"),
    NOT_REPORTED(
            "upstream_not_reported",
            "Desired states never reported: 224.0.0.0/24, EXCLUDE mode in 232/8, " + "232/8 in IGMPv1/v2 mode"),
    LINK_FILTER_FAILURES(
            "upstream_link_filter_failures", "Group MACs the upstream's multicast filter refused to add or remove");

    private final CounterSpec spec;

    HostCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface", "protocol"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
