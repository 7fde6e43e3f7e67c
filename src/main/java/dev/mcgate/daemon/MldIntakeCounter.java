package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What the capture threads' MLD intake counts, per interface. */
public enum MldIntakeCounter implements Counter {
    MESSAGES("mld_messages", "MLD messages heard, by kind (malformed ones by reason; own: sent from this host)");

    private static final List<String> LABELS = List.of("interface", "kind", "reason");

    private final String metric;
    private final String help;

    MldIntakeCounter(String metric, String help) {
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
