package dev.mcgate.relay.kafka;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the Kafka relay counts: datagrams published and records sent as multicast, and what was dropped, by reason. */
public enum KafkaCounter implements Counter {
    PUBLISHED("kafka_published", "Datagrams the Kafka broker acknowledged, by topic", List.of("topic")),
    PUBLISH_DROPS(
            "kafka_publish_drops",
            "Datagrams not published, by reason: handoff-full (the queue to the producer was full), "
                    + "broker-unreachable (no metadata within max-block), producer-buffer-full, expired (not "
                    + "acknowledged within delivery-timeout), send-failed (refused by the broker or the producer), not-consumed (publish-mode while-consumed and "
                    + "no consumer group reads the topic), stopped (queued when the relay stopped)",
            List.of("reason")),
    SUBSCRIBED(
            "kafka_subscribed",
            "Kafka records sent as multicast (once, whatever the number of interfaces), by topic and consumer group",
            List.of("topic", "group_id")),
    SUBSCRIBE_DROPS(
            "kafka_subscribe_drops",
            "Kafka records not sent, by topic, consumer group and reason: malformed (key not mcgate's flow "
                    + "encoding), send-failed (a socket refused it, once per interface); commit-failed counts offset "
                    + "commits that failed (their records may be sent again)",
            List.of("topic", "group_id", "reason")),
    STARTS(
            "kafka_relay_starts",
            "Times the daemon started the Kafka relay's clients (at start and reloads)",
            List.of()),
    STOPS("kafka_relay_stops", "Times the daemon stopped the Kafka relay's clients (reloads and stop)", List.of()),
    START_FAILURES(
            "kafka_relay_start_failures",
            "Times the Kafka relay could not start (client not installed, no bootstrap server resolves, ...): the "
                    + "log says why; a reload tries again",
            List.of()),
    PUBLISH_JOINS(
            "kafka_publish_joins",
            "Joins the Kafka publisher made as a local receiver, of a group or a group and source (joins minus leaves: "
                    + "what it publishes now)",
            List.of()),
    PUBLISH_LEAVES("kafka_publish_leaves", "Joins the Kafka publisher left", List.of()),
    SUBSCRIBE_START_FAILURES(
            "kafka_subscribe_start_failures",
            "Times a kafka-subscribe line could not start (an interface without an address, ...): the log says why; "
                    + "a reload tries again",
            List.of());

    private final CounterSpec spec;

    KafkaCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
