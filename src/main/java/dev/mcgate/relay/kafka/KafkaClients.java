package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.KafkaSubscription;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Builds the relay on real Kafka clients; reached only through {@link KafkaRelays} once the client is known there. */
final class KafkaClients {

    private KafkaClients() {}

    static KafkaPublisher publisher(KafkaRelayConfig config) throws IOException {
        return new KafkaPublisher(
                config, new KafkaProducer<>(ClientProperties.producer(config)), new PublishStats(), KafkaClients::now);
    }

    static KafkaSubscriber subscriber(KafkaRelayConfig config, KafkaSubscription s) throws IOException {
        List<MulticastOut> outs = new ArrayList<>();
        try {
            for (String name : s.interfaces()) {
                outs.add(UdpMulticastOut.open(name, s.ttl()));
            }
        } catch (IOException e) {
            outs.forEach(MulticastOut::close);
            throw e;
        }
        return new KafkaSubscriber(
                s,
                new KafkaConsumer<>(ClientProperties.consumer(config, s)),
                outs,
                new SubscribeStats(s.topic(), s.groupId()),
                PaceClock.SYSTEM);
    }

    /** Nanoseconds since the epoch (microsecond resolution on Linux), the clock of the arrival-ns header. */
    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
