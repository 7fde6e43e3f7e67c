package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What each interface's IGMP sender counts: the queries and reports mcgate itself sent. */
public enum IgmpSenderCounter implements Counter {
    FRAMES_SENT(
            "igmp_frames_sent",
            "IGMP frames mcgate sent (queries on downstreams, reports and leaves on " + "upstreams)"),
    FAILURES("igmp_send_failures", "IGMP messages or frames that could not be encoded or sent");

    private static final List<String> LABELS = List.of("interface");

    private final String metric;
    private final String help;

    IgmpSenderCounter(String metric, String help) {
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
