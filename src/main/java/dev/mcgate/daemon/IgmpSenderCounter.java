package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What each interface's IGMP sender counts: the queries and reports mcgate itself sent. */
public enum IgmpSenderCounter implements Counter {
    FRAMES_SENT(
            "igmp_frames_sent",
            "IGMP frames mcgate sent (queries on downstreams, reports and leaves on " + "upstreams)"),
    FAILURES("igmp_send_failures", "IGMP messages or frames that could not be encoded or sent");

    private final CounterSpec spec;

    IgmpSenderCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
