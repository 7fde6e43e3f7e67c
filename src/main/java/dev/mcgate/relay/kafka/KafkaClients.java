package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.KafkaSubscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/** Builds the relay on real Kafka clients; reached only through {@link KafkaRelays} once the client is known there. */
final class KafkaClients {

    private KafkaClients() {}

    static KafkaPublisher publisher(KafkaRelayConfig config, Consumer<Set<String>> consumedChanged) throws IOException {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(ClientProperties.producer(config));
        } catch (KafkaException e) {
            throw new IOException("cannot start the Kafka producer: " + rootMessage(e), e);
        }
        ConsumptionGate gate = ConsumptionGate.ALWAYS;
        if (config.publishMode() == KafkaPublishMode.WHILE_CONSUMED) {
            try {
                gate = new ConsumptionWatch(
                        new AdminConsumedTopics(Admin.create(ClientProperties.admin(config))), consumedChanged);
            } catch (KafkaException e) {
                producer.close(Duration.ZERO);
                throw new IOException("cannot start the Kafka admin client: " + rootMessage(e), e);
            }
        }
        return new KafkaPublisher(config, producer, gate, new PublishStats(), KafkaClients::now);
    }

    static KafkaSubscriber subscriber(KafkaRelayConfig config, KafkaSubscription s) throws IOException {
        List<MulticastOut> outs = new ArrayList<>();
        try {
            for (String name : s.interfaces()) {
                outs.add(UdpMulticastOut.open(name, s.ttl()));
            }
            KafkaConsumer<byte[], byte[]> consumer;
            try {
                consumer = new KafkaConsumer<>(ClientProperties.consumer(config, s));
            } catch (KafkaException e) {
                throw new IOException(
                        "cannot start the Kafka consumer of topic " + s.topic() + ": " + rootMessage(e), e);
            }
            return new KafkaSubscriber(s, consumer, outs, new SubscribeStats(s.topic(), s.groupId()), PaceClock.SYSTEM);
        } catch (IOException e) {
            outs.forEach(MulticastOut::close);
            throw e;
        }
    }

    /** The innermost message: "Failed to construct kafka producer" says less than its cause. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Nanoseconds since the epoch (microsecond resolution on Linux), the clock of the arrival-ns header. */
    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
