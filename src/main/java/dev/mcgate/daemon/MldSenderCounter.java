package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What each interface's MLD sender counts: the MLD queries and reports mcgate itself sent. */
public enum MldSenderCounter implements Counter {
    FRAMES_SENT("mld_frames_sent", "MLD frames mcgate sent (queries on downstreams, reports and Dones on upstreams)"),
    FAILURES("mld_send_failures", "MLD messages or frames that could not be encoded or sent");

    private static final List<String> LABELS = List.of("interface");

    private final String metric;
    private final String help;

    MldSenderCounter(String metric, String help) {
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
