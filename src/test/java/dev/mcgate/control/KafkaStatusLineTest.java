package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.relay.kafka.KafkaCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Kafka relay's status line, from its counters: absent without a kafka block, figures or not running. */
class KafkaStatusLineTest {

    private final List<CounterReading> readings = new ArrayList<>();

    private void record(Counter c, long value, String... labels) {
        readings.add(new CounterReading(c, List.of(labels), value));
    }

    private String line() {
        StringBuilder out = new StringBuilder();
        KafkaStatusLine.append(
                out, new CounterReadings(List.of(KafkaCounter.values()), readings), java.util.Optional.empty());
        return out.toString().strip();
    }

    @Test
    void noKafkaBlockNoLine() {
        assertEquals("", line());
    }

    @Test
    void aRunningRelaySumsItsCounters() {
        record(KafkaCounter.STARTS, 2);
        record(KafkaCounter.STOPS, 1);
        record(KafkaCounter.PUBLISH_JOINS, 5);
        record(KafkaCounter.PUBLISH_LEAVES, 2);
        record(KafkaCounter.PUBLISHED, 700, "feed-a");
        record(KafkaCounter.PUBLISHED, 300, "feed-b");
        record(KafkaCounter.PUBLISH_DROPS, 4, "handoff-full");
        record(KafkaCounter.PUBLISH_DROPS, 1, "expired");
        record(KafkaCounter.SUBSCRIBED, 90, "feed-a", "floor");
        record(KafkaCounter.SUBSCRIBE_DROPS, 2, "feed-a", "floor", "send-failed");
        record(KafkaCounter.SUBSCRIBE_DROPS, 7, "feed-a", "floor", "commit-failed");
        assertEquals(
                "kafka relay: publishing 3 groups, 1000 published, 5 dropped; 1 subscribers, 90 sent, 2 not sent",
                line());
    }

    @Test
    void thePublishersRecentLatencyFollowsItsCounts() {
        record(KafkaCounter.STARTS, 1);
        record(KafkaCounter.STOPS, 0);
        record(KafkaCounter.PUBLISH_JOINS, 1);
        record(KafkaCounter.PUBLISHED, 1000, "feed-a");
        StringBuilder out = new StringBuilder();
        KafkaStatusLine.append(
                out,
                new CounterReadings(List.of(KafkaCounter.values()), readings),
                java.util.Optional.of(new DaemonSnapshot.KafkaPublish(
                        1000,
                        1000,
                        java.util.Map.of(),
                        0,
                        new DaemonSnapshot.PublishLatency(1000, 2500, 90_000, 120_000),
                        new DaemonSnapshot.PublishLatency(400, 2100, 3400, 9000),
                        5.0)));
        assertEquals(
                "kafka relay: publishing 1 groups, 1000 published, 0 dropped (arrival to broker ack over the last 5 s:"
                        + " p50 2.1 ms, p99 3.4 ms); 0 subscribers, 0 sent, 0 not sent",
                out.toString().strip());
    }

    @Test
    void aRelayThatCouldNotStartSaysSo() {
        record(KafkaCounter.STARTS, 0);
        record(KafkaCounter.STOPS, 0);
        record(KafkaCounter.START_FAILURES, 3);
        assertEquals("kafka relay: not running (3 failed starts: the log says why; a reload tries again)", line());
    }
}
