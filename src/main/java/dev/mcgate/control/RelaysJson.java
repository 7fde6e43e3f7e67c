package dev.mcgate.control;

import java.util.Optional;

/**
 * The {@code relays} object of {@code status --json}: the HTTP relay's groups and clients, the Kafka relay's publisher
 * (with its added latency) and subscribers; null where the configuration has no such relay.
 */
final class RelaysJson {

    private RelaysJson() {}

    static void write(JsonWriter w, DaemonSnapshot.Relays relays) {
        w.name("relays").beginObject();
        w.name("http");
        if (relays.http().isPresent()) {
            http(w, relays.http().get());
        } else {
            w.nullValue();
        }
        w.name("kafka");
        if (relays.kafka().isPresent()) {
            kafka(w, relays.kafka().get());
        } else {
            w.nullValue();
        }
        w.endObject();
    }

    private static void http(JsonWriter w, DaemonSnapshot.HttpRelay h) {
        w.beginObject()
                .field("listen", h.listen())
                .field("clients_now", h.clientsNow())
                .field("queued_bytes", h.queuedBytes());
        w.name("groups").beginArray();
        for (DaemonSnapshot.HttpGroup g : h.groups()) {
            w.beginObject()
                    .field("group", g.group())
                    .field("clients", g.clients())
                    .field("bits_per_second", Math.round(g.bitsPerSecond()))
                    .endObject();
        }
        w.endArray().endObject();
    }

    private static void latency(JsonWriter w, DaemonSnapshot.PublishLatency l) {
        w.beginObject().field("acknowledged", l.acknowledged());
        // No record acknowledged: no percentile, null rather than a number that looks like one.
        micros(w.name("p50"), l.acknowledged(), l.p50Micros());
        micros(w.name("p99"), l.acknowledged(), l.p99Micros());
        micros(w.name("max"), l.acknowledged(), l.maxMicros());
        w.endObject();
    }

    private static void micros(JsonWriter w, long acknowledged, long micros) {
        if (acknowledged > 0) {
            w.value(micros);
        } else {
            w.nullValue();
        }
    }

    private static void kafka(JsonWriter w, DaemonSnapshot.KafkaRelay k) {
        w.beginObject()
                .field("running", k.running())
                .field("bootstrap_servers", k.bootstrapServers())
                .field("publishing_groups", k.publishingGroups());
        w.name("publish");
        Optional<DaemonSnapshot.KafkaPublish> publish = k.publish();
        if (publish.isPresent()) {
            DaemonSnapshot.KafkaPublish p = publish.get();
            w.beginObject()
                    .field("offered", p.offered())
                    .field("published", p.published())
                    .field("queued", p.queued());
            w.name("drops").beginObject();
            p.drops().forEach(w::field);
            w.endObject();
            latency(w.name("latency_micros"), p.latency());
            latency(w.name("recent_latency_micros"), p.recent());
            w.field("recent_seconds", p.recentSeconds());
            w.endObject();
        } else {
            w.nullValue();
        }
        w.name("subscribers").beginArray();
        for (DaemonSnapshot.KafkaSubscribe s : k.subscribers()) {
            w.beginObject().field("topic", s.topic()).field("group_id", s.groupId());
            w.name("interfaces").beginArray();
            s.interfaces().forEach(w::value);
            w.endArray();
            w.field("sent", s.sent())
                    .field("malformed", s.malformed())
                    .field("send_failed", s.sendFailed())
                    .field("commit_failed", s.commitFailed())
                    .endObject();
        }
        w.endArray().endObject();
    }
}
