package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** publish-mode while-consumed: the watch's answers, and the publisher that publishes only while a group reads. */
class ConsumptionWatchTest {

    /** The cluster's answers, one per look; an exception stands for a look that failed. */
    private final Deque<Object> answers = new ArrayDeque<>();

    private final ConsumptionWatch watch = new ConsumptionWatch(() -> {
        Object next = answers.removeFirst();
        if (next instanceof Exception e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        Set<String> topics = (Set<String>) next;
        return topics;
    });

    @Test
    void nothingIsConsumedUntilTheClusterSaysSoAndAFailedLookKeepsTheLastAnswer() {
        assertFalse(watch.open("feed"));
        answers.add(Set.of("feed", "news"));
        assertTrue(watch.refresh());
        assertTrue(watch.open("feed"));
        answers.add(new TimeoutException("no broker"));
        assertFalse(watch.refresh());
        assertTrue(watch.open("feed"), "a broker away is not a consumer gone");
        answers.add(Set.of("news"));
        watch.refresh();
        assertFalse(watch.open("feed"));
    }

    @Test
    void theListenerHearsEachChangedAnswerOnceAndNotAFailedLook() {
        List<Set<String>> heard = new java.util.ArrayList<>();
        ConsumptionWatch w = new ConsumptionWatch(
                () -> {
                    Object next = answers.removeFirst();
                    if (next instanceof Exception e) {
                        throw e;
                    }
                    @SuppressWarnings("unchecked")
                    Set<String> topics = (Set<String>) next;
                    return topics;
                },
                heard::add);
        answers.add(Set.of("feed"));
        answers.add(Set.of("feed"));
        answers.add(new TimeoutException("no broker"));
        answers.add(Set.of());
        for (int i = 0; i < 4; i++) {
            w.refresh();
        }
        assertEquals(List.of(Set.of("feed"), Set.of()), heard);
    }

    @Test
    void thePublisherPublishesOnlyWhileTheTopicIsConsumedAndCountsTheRest() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaRelayConfig config = new KafkaRelayConfig(
                "127.0.0.1:9092",
                Optional.empty(),
                KafkaRelayConfig.DEFAULT_LINGER,
                KafkaRelayConfig.DEFAULT_BATCH_SIZE,
                64,
                1 << 20,
                KafkaRelayConfig.DEFAULT_DELIVERY_TIMEOUT,
                KafkaRelayConfig.DEFAULT_MAX_BLOCK,
                KafkaRelayConfig.DEFAULT_TOPIC_PATTERN,
                KafkaPublishMode.WHILE_CONSUMED,
                List.of(new KafkaPublishRule(IpPrefix.parse("239.1.0.0/16"), Optional.empty(), Optional.of("feed"))),
                List.of());
        KafkaPublisher p = new KafkaPublisher(config, producer, watch, new PublishStats(), () -> 0);
        Ip4 source = Ip4.parse("10.1.0.5");
        Ip4 group = Ip4.parse("239.1.0.1");
        p.offer(source, group, 4000, 5000, ByteBuffer.allocate(10), 0);
        p.publishQueued();
        answers.add(Set.of("feed"));
        watch.refresh();
        p.offer(source, group, 4000, 5000, ByteBuffer.allocate(10), 0);
        p.offer(source, group, 4000, 5000, ByteBuffer.allocate(10), 0);
        p.publishQueued();
        assertEquals(1, p.stats().drops(PublishDrop.NOT_CONSUMED));
        assertEquals(2, producer.history().size());
        assertEquals(2, p.stats().published());
    }
}
