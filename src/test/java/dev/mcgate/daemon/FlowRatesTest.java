package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.forward.FlowCounters;
import dev.mcgate.net.Ip4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rates from counter deltas between samples, on a hand clock. */
class FlowRatesTest {

    private static final Ip4 S = Ip4.parse("192.0.2.10");
    private static final Ip4 G = Ip4.parse("239.1.1.1");
    private static final FlowRates.Key KEY = new FlowRates.Key("up0", S, G);
    private static final long SECOND = 1_000_000_000L;

    private static FlowCounters flow(long packets, long bytes) {
        return new FlowCounters("up0", S, G, packets, bytes, packets, packets, 0, 0, Map.of(), 0);
    }

    @Test
    void theRateIsTheDeltaOverTheLastInterval() {
        FlowRates rates = new FlowRates();
        rates.sample(10 * SECOND, List.of(flow(100, 100_000)));
        assertEquals(FlowRates.Rate.ZERO, rates.rate(KEY), "one sample: no rate yet");
        assertEquals(0.0, rates.windowSeconds());
        rates.sample(12 * SECOND, List.of(flow(1100, 1_100_000)));
        assertEquals(new FlowRates.Rate(500, 4_000_000), rates.rate(KEY));
        assertEquals(2.0, rates.windowSeconds());
        // Only the last interval counts: a stream that stopped has rate 0 at the next sample.
        rates.sample(13 * SECOND, List.of(flow(1100, 1_100_000)));
        assertEquals(new FlowRates.Rate(0, 0), rates.rate(KEY));
    }

    @Test
    void aNewFlowCountsFromZeroAndAnEvictedOneHasNoRate() {
        FlowRates rates = new FlowRates();
        rates.sample(0, List.of());
        rates.sample(SECOND, List.of(flow(250, 25_000)));
        assertEquals(new FlowRates.Rate(250, 200_000), rates.rate(KEY));
        // The flow was evicted and seen again: its counters restarted below the last sample.
        rates.sample(2 * SECOND, List.of(flow(10, 1000)));
        assertEquals(FlowRates.Rate.ZERO, rates.rate(KEY));
    }
}
