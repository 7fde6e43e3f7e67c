package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** Captures that stopped by themselves and the reopens that followed, per interface (kept by the registry). */
public enum CaptureCounter implements Counter {
    CAPTURE_STOPPED(
            "capture_stopped",
            "Times the interface's capture thread ended by itself (read error, exception or Error): its port failed "
                    + "and was closed"),
    CAPTURE_REOPENS("capture_reopens", "Opens tried again after the interface's capture had stopped");

    private final CounterSpec spec;

    CaptureCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
