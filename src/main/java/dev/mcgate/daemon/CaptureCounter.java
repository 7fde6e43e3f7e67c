package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** Captures that stopped by themselves and the reopens that followed, per interface (kept by the registry). */
public enum CaptureCounter implements Counter {
    CAPTURE_STOPPED(
            "capture_stopped",
            "Times the interface's capture thread ended by itself (read error, exception or Error): its port failed "
                    + "and was closed"),
    CAPTURE_REOPENS("capture_reopens", "Opens tried again after the interface's capture had stopped");

    private static final List<String> LABELS = List.of("interface");

    private final String metric;
    private final String help;

    CaptureCounter(String metric, String help) {
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
