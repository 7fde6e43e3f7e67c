package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The publisher's latency since the start and over its last complete window, on a hand-moved clock. */
class PublishStatsTest {

    private static final long W = PublishStats.WINDOW.toNanos();
    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final PublishStats stats = new PublishStats(now::get);

    @Test
    void theRecentLatencyIsTheLastCompleteWindowWithoutTheWarmUpBeforeIt() {
        // A slow start: 10 records at 900 ms in the first window.
        for (int i = 0; i < 10; i++) {
            stats.acknowledged("t", 900 * MS);
        }
        assertEquals(0, stats.recentLatency().count(), "no window is complete yet");
        now.addAndGet(W);
        // The second window: 100 records at 2 ms.
        for (int i = 0; i < 100; i++) {
            stats.acknowledged("t", 2 * MS);
        }
        assertEquals(new PublishStats.Latency(10, 900_000, 900_000, 900_000), stats.recentLatency());
        now.addAndGet(W);
        assertEquals(new PublishStats.Latency(100, 2_000, 2_000, 2_000), stats.recentLatency());
        // Since the start, the warm-up is in the p99.
        assertEquals(110, stats.latency().count());
        assertEquals(900_000, stats.latency().p99Micros());
    }

    @Test
    void aWindowWithoutRecordsEmptiesTheRecentLatency() {
        stats.acknowledged("t", 3 * MS);
        now.addAndGet(W + MS);
        assertEquals(1, stats.recentLatency().count());
        // A whole window passes with no record acknowledged: the publisher is idle or stuck, not 3 ms.
        now.addAndGet(W);
        assertEquals(PublishStats.Latency.NONE, stats.recentLatency());
        now.addAndGet(10 * W);
        stats.acknowledged("t", 4 * MS);
        assertEquals(PublishStats.Latency.NONE, stats.recentLatency(), "the window it is in is not complete");
    }
}
