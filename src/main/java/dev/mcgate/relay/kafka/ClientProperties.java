package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.KafkaSubscription;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka clients' settings: mcgate's defaults, then the operator's {@code kafka-properties} file (TLS, SASL,
 * client.id, anything else), then what the relay's guarantees rest on, which the file cannot change.
 */
final class ClientProperties {

    private ClientProperties() {}

    static Properties producer(KafkaRelayConfig c) throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", "mcgate-publish");
        p.put("linger.ms", String.valueOf(c.linger().toMillis()));
        p.put("batch.size", String.valueOf(c.batchSize()));
        p.put("delivery.timeout.ms", String.valueOf(c.deliveryTimeout().toMillis()));
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms (checked by the config resolver).
        p.put(
                "request.timeout.ms",
                String.valueOf(c.deliveryTimeout().minus(c.linger()).toMillis()));
        p.put("max.block.ms", String.valueOf(c.maxBlock().toMillis()));
        // A broker that comes back is found again within a second, not after the default exponential backoff.
        p.put("reconnect.backoff.ms", "50");
        p.put("reconnect.backoff.max.ms", "1000");
        p.put("retry.backoff.ms", "50");
        p.put("retry.backoff.max.ms", "1000");
        // Datagrams of live feeds are small and latency matters more than bytes on the wire.
        p.put("compression.type", "none");
        file(c, p);
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        // Exactly one copy of each acknowledged datagram in the log, in order within a partition (<= 5 in flight).
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", "5");
        return p;
    }

    static Properties admin(KafkaRelayConfig c) throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", "mcgate-consumed");
        p.put("reconnect.backoff.ms", "50");
        p.put("reconnect.backoff.max.ms", "1000");
        file(c, p);
        return p;
    }

    static Properties consumer(KafkaRelayConfig c, KafkaSubscription s) throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", "mcgate-subscribe-" + s.topic());
        // A live feed starts at its end when the group has no committed offset; a file can say earliest.
        p.put("auto.offset.reset", "latest");
        p.put("max.poll.records", "500");
        p.put("reconnect.backoff.ms", "50");
        p.put("reconnect.backoff.max.ms", "1000");
        file(c, p);
        p.put("group.id", s.groupId());
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        // At-least-once: offsets are committed by the subscriber after the records of a poll were sent.
        p.put("enable.auto.commit", "false");
        // Only committed records of transactional producers; mcgate's own are not transactional.
        p.put("isolation.level", "read_committed");
        return p;
    }

    private static void file(KafkaRelayConfig c, Properties p) throws IOException {
        if (c.propertiesFile().isPresent()) {
            Properties file = new Properties();
            try (Reader r = Files.newBufferedReader(c.propertiesFile().get())) {
                file.load(r);
            }
            for (Map.Entry<Object, Object> e : file.entrySet()) {
                p.put(e.getKey(), e.getValue());
            }
        }
    }
}
