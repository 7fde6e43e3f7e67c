package dev.mcgate.lab;

import dev.mcgate.control.MiniJson;
import java.util.Map;

/**
 * The Kafka publisher's figures in one {@code status --json} answer ({@code relays.kafka.publish}): what it was offered,
 * what the broker acknowledged, what it dropped and holds, and its added latency since its start and over its last
 * complete window.
 */
record KafkaPublishFigures(
        long offered,
        long published,
        long dropped,
        long queued,
        long p50Micros,
        long p99Micros,
        long maxMicros,
        long recentAcknowledged,
        long recentP50Micros,
        long recentP99Micros,
        long recentMaxMicros) {

    /** Every record offered is acknowledged or dropped, and none waits in the hand-off. */
    boolean settledSince(KafkaPublishFigures before) {
        return queued == 0 && published - before.published + dropped - before.dropped >= offered - before.offered;
    }

    /**
     * From a parsed {@code status --json}.
     *
     * @throws LabException when the daemon has no Kafka publisher running (no relay section, or not running)
     */
    static KafkaPublishFigures of(Object status) throws LabException {
        Object kafka = MiniJson.at(status, "relays", "kafka");
        Object publish = kafka == null ? null : MiniJson.at(kafka, "publish");
        if (publish == null) {
            throw new LabException("mcgate has no Kafka publisher running (status --json: relays.kafka "
                    + (kafka == null ? "is null" : "has no publish section") + ")");
        }
        long dropped = 0;
        for (Map.Entry<String, Object> d :
                MiniJson.object(MiniJson.at(publish, "drops")).entrySet()) {
            dropped += number(d.getValue());
        }
        Object latency = MiniJson.at(publish, "latency_micros");
        Object recent = MiniJson.at(publish, "recent_latency_micros");
        return new KafkaPublishFigures(
                number(MiniJson.at(publish, "offered")),
                number(MiniJson.at(publish, "published")),
                dropped,
                number(MiniJson.at(publish, "queued")),
                number(MiniJson.at(latency, "p50")),
                number(MiniJson.at(latency, "p99")),
                number(MiniJson.at(latency, "max")),
                number(MiniJson.at(recent, "acknowledged")),
                number(MiniJson.at(recent, "p50")),
                number(MiniJson.at(recent, "p99")),
                number(MiniJson.at(recent, "max")));
    }

    /** A count, or a percentile (null before the first acknowledgement: -1 here). */
    private static long number(Object o) {
        return o == null ? -1 : ((Number) o).longValue();
    }
}
