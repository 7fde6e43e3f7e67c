package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What each interface's MLD sender counts: the MLD queries and reports mcgate itself sent. */
public enum MldSenderCounter implements Counter {
    FRAMES_SENT("mld_frames_sent", "MLD frames mcgate sent (queries on downstreams, reports and Dones on upstreams)"),
    FAILURES("mld_send_failures", "MLD messages or frames that could not be encoded or sent");

    private final CounterSpec spec;

    MldSenderCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
