package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterRegistry;
import dev.mcgate.daemon.CounterCatalog;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher on Kafka's MockProducer, without a thread: which datagrams are selected, what each record carries
 * (topic, key, headers, sequence), and that every selected datagram ends acknowledged or counted under one reason.
 */
class KafkaPublisherTest {

    private static final Ip4 SOURCE = Ip4.parse("10.1.0.5");
    private static final Ip4 OTHER_SOURCE = Ip4.parse("10.1.0.6");
    private static final Ip4 FEED = Ip4.parse("239.1.0.1");
    private static final Ip4 NEWS = Ip4.parse("239.2.0.9");

    /**
     * MockProducer, and a refusal as KafkaProducer makes it: an ApiException from send() (no metadata within
     * max.block.ms, no buffer space) goes to the callback at once, on the caller's thread, and is not thrown.
     */
    private static final class Producer extends MockProducer<byte[], byte[]> {
        RuntimeException refusal;

        Producer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (refusal != null) {
                callback.onCompletion(null, refusal);
                return CompletableFuture.failedFuture(refusal);
            }
            return super.send(record, callback);
        }
    }

    private final Producer producer = new Producer();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private KafkaPublisher publisher(int handoffRecords) {
        KafkaRelayConfig config = new KafkaRelayConfig(
                "127.0.0.1:9092",
                Optional.empty(),
                KafkaRelayConfig.DEFAULT_LINGER,
                KafkaRelayConfig.DEFAULT_BATCH_SIZE,
                handoffRecords,
                1 << 20,
                KafkaRelayConfig.DEFAULT_DELIVERY_TIMEOUT,
                KafkaRelayConfig.DEFAULT_MAX_BLOCK,
                "md.%group",
                KafkaPublishMode.ALWAYS,
                List.of(
                        new KafkaPublishRule(
                                IpPrefix.parse("239.1.0.0/16"), Optional.of(SOURCE), Optional.of("exchange-feed")),
                        new KafkaPublishRule(IpPrefix.parse("239.2.0.0/16"), Optional.empty(), Optional.empty())),
                List.of());
        return new KafkaPublisher(config, producer, new PublishStats(), clock::get);
    }

    private static ByteBuffer payload(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] header(ProducerRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name).value();
    }

    /** Completions run on the producer's I/O thread, never on the thread that called send(). */
    private static void onIoThread(Runnable completions) {
        java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread io = new Thread(completions, "kafka-producer-network-thread");
        io.setUncaughtExceptionHandler((t, e) -> failed.set(e));
        io.start();
        try {
            io.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void newRulesApplyFromTheNextDatagramAndAFlowWhoseRuleChangedTakesItsNewTopic() {
        KafkaPublisher p = publisher(16);
        assertTrue(p.offer(SOURCE, FEED, 4000, 5000, payload("a"), 1));
        p.publishQueued();
        p.rules(List.of(
                new KafkaPublishRule(IpPrefix.parse("239.1.0.1/32"), Optional.empty(), Optional.of("feed-now")),
                new KafkaPublishRule(IpPrefix.parse("239.3.0.0/16"), Optional.empty(), Optional.empty())));
        assertTrue(p.offer(SOURCE, FEED, 4000, 5000, payload("b"), 2));
        assertTrue(p.offer(SOURCE, Ip4.parse("239.3.0.1"), 4000, 5000, payload("c"), 3));
        assertFalse(p.offer(SOURCE, NEWS, 4000, 5000, payload("d"), 4), "the removed line selects nothing");
        p.publishQueued();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(
                List.of("exchange-feed", "feed-now", "md.239.3.0.1"),
                sent.stream().map(ProducerRecord::topic).toList());
        assertEquals(
                1, RelayHeaders.readLong(header(sent.get(1), RelayHeaders.SEQUENCE)), "the flow's sequence goes on");
    }

    @Test
    void onlyDatagramsARuleSelectsAreTaken() {
        KafkaPublisher p = publisher(16);
        assertTrue(p.offer(SOURCE, FEED, 4000, 5000, payload("a"), 1));
        assertFalse(p.offer(OTHER_SOURCE, FEED, 4000, 5000, payload("b"), 1), "the feed rule names one source");
        assertFalse(p.offer(SOURCE, Ip4.parse("239.3.0.1"), 4000, 5000, payload("c"), 1));
        assertTrue(p.offer(OTHER_SOURCE, NEWS, 4000, 5000, payload("d"), 1), "the news rule takes any source");
        assertEquals(2, p.stats().offeredCount(), "datagrams no rule selects are not the publisher's to count");
        assertEquals(2, p.publishQueued());
        assertEquals(
                List.of("exchange-feed", "md.239.2.0.9"),
                producer.history().stream().map(ProducerRecord::topic).toList());
    }

    @Test
    void aRecordCarriesTheFlowAsKeyThePayloadAndTheHeaders() {
        KafkaPublisher p = publisher(16);
        long arrival = 1_733_500_000_123_456_789L;
        p.offer(SOURCE, FEED, 4001, 5000, payload("tick-1"), arrival);
        p.publishQueued();
        ProducerRecord<byte[], byte[]> r = producer.history().get(0);
        assertEquals(new RelayFlow(SOURCE, FEED, 5000), RelayFlow.fromKey(r.key()));
        assertArrayEquals("tick-1".getBytes(StandardCharsets.US_ASCII), r.value());
        assertEquals(SOURCE, RelayHeaders.readAddress(header(r, RelayHeaders.SOURCE)));
        assertEquals(FEED, RelayHeaders.readAddress(header(r, RelayHeaders.GROUP)));
        assertEquals(5000, RelayHeaders.readPort(header(r, RelayHeaders.PORT)));
        assertEquals(4001, RelayHeaders.readPort(header(r, RelayHeaders.SOURCE_PORT)));
        assertEquals(arrival, RelayHeaders.readLong(header(r, RelayHeaders.ARRIVAL_NS)));
        assertEquals(null, r.partition(), "the partitioner hashes the key: one flow, one partition");
    }

    @Test
    void eachFlowHasItsOwnSequence() {
        KafkaPublisher p = publisher(16);
        IpAddress[][] order = {{SOURCE, FEED}, {OTHER_SOURCE, NEWS}, {SOURCE, FEED}, {SOURCE, NEWS}, {SOURCE, FEED}};
        for (IpAddress[] sg : order) {
            p.offer(sg[0], sg[1], 4000, 5000, payload("x"), 1);
        }
        p.publishQueued();
        List<Long> sequences = producer.history().stream()
                .map(r -> RelayHeaders.readLong(header(r, RelayHeaders.SEQUENCE)))
                .toList();
        assertEquals(List.of(0L, 0L, 1L, 0L, 2L), sequences);
    }

    @Test
    void forgedSourcesCannotGrowTheFlowTableBeyondItsBound() {
        KafkaPublisher p = publisher(16);
        p.offer(SOURCE, NEWS, 4000, 5000, payload("first"), 1);
        p.publishQueued();
        for (int i = 0; i < KafkaPublisher.MAX_FLOWS; i++) {
            p.offer(new Ip4(0x0a000000 + i + 1), NEWS, 4000, 5000, payload("x"), 1);
            p.publishQueued();
        }
        p.offer(SOURCE, NEWS, 4000, 5000, payload("again"), 1);
        p.publishQueued();
        List<ProducerRecord<byte[], byte[]>> history = producer.history();
        assertEquals(
                0L,
                RelayHeaders.readLong(header(history.get(history.size() - 1), RelayHeaders.SEQUENCE)),
                "the flow used longest ago was forgotten: its sequence starts again");
    }

    @Test
    void aFullHandoffDropsAndCountsWithoutBlocking() {
        KafkaPublisher p = publisher(16);
        int taken = 0;
        for (int i = 0; i < 40; i++) {
            taken += p.offer(SOURCE, FEED, 4000, 5000, payload("x" + i), 1) ? 1 : 0;
        }
        assertEquals(16, taken);
        assertEquals(24, p.stats().drops(PublishDrop.HANDOFF_FULL));
        assertEquals(16, p.publishQueued());
    }

    @Test
    void everyOutcomeOfASendIsCountedOnce() {
        KafkaPublisher p = publisher(64);
        for (int i = 0; i < 7; i++) {
            p.offer(SOURCE, FEED, 4000, 5000, payload("x" + i), 1_000_000_000L - 3_000_000L);
        }
        // Two acknowledged, one expired in the producer, one refused by the broker; the rest are refused by send().
        p.publishQueued();
        clock.set(1_000_000_000L);
        onIoThread(() -> {
            assertTrue(producer.completeNext());
            assertTrue(producer.completeNext());
            assertTrue(producer.errorNext(new TimeoutException("expired in the accumulator")));
            assertTrue(producer.errorNext(new RecordTooLargeException("too large")));
        });
        producer.refusal = new TimeoutException("Topic exchange-feed not present in metadata after 100 ms");
        p.offer(SOURCE, FEED, 4000, 5000, payload("y0"), 1);
        p.publishQueued();
        producer.refusal = new BufferExhaustedException("no buffer space");
        p.offer(SOURCE, FEED, 4000, 5000, payload("y1"), 1);
        p.publishQueued();
        producer.refusal = null;
        producer.sendException = new IllegalStateException("Cannot perform operation after producer has been closed");
        p.offer(SOURCE, FEED, 4000, 5000, payload("y2"), 1);
        p.publishQueued();

        PublishStats s = p.stats();
        assertEquals(2, s.published());
        assertEquals(1, s.drops(PublishDrop.EXPIRED));
        assertEquals(2, s.drops(PublishDrop.SEND_FAILED));
        assertEquals(1, s.drops(PublishDrop.BROKER_UNREACHABLE));
        assertEquals(1, s.drops(PublishDrop.PRODUCER_BUFFER_FULL));
        assertEquals(10, s.offeredCount());
        int waiting = 3; // sent to the producer, neither completed nor failed yet
        assertEquals(s.offeredCount(), s.published() + s.drops() + waiting);
        assertEquals(new PublishStats.Latency(2, 3000, 3000, 3000), s.latency(), "3 ms from arrival to ack");
    }

    @Test
    void theCountersAreRegisteredAndShowEveryReason() {
        KafkaPublisher p = publisher(1);
        p.offer(SOURCE, FEED, 4000, 5000, payload("a"), 1);
        p.offer(SOURCE, FEED, 4000, 5000, payload("b"), 1);
        p.publishQueued();
        onIoThread(producer::completeNext);
        CounterRegistry registry = CounterCatalog.newRegistry();
        registry.add(p.stats());
        List<CounterReading> readings = registry.readOthers().readings();
        assertTrue(readings.contains(new CounterReading(KafkaCounter.PUBLISHED, List.of("exchange-feed"), 1)));
        assertTrue(readings.contains(new CounterReading(KafkaCounter.PUBLISH_DROPS, List.of("handoff-full"), 1)));
        assertEquals(
                PublishDrop.values().length,
                readings.stream()
                        .filter(r -> r.counter() == KafkaCounter.PUBLISH_DROPS)
                        .count());
    }

    @Test
    void datagramsLeftInTheHandoffAtCloseAreCounted() {
        KafkaPublisher p = publisher(16);
        p.offer(SOURCE, FEED, 4000, 5000, payload("a"), 1);
        p.offer(SOURCE, FEED, 4000, 5000, payload("b"), 1);
        p.close();
        assertFalse(p.offer(SOURCE, FEED, 4000, 5000, payload("late"), 1));
        assertEquals(3, p.stats().drops(PublishDrop.STOPPED), "two left behind, one offered after close");
        assertTrue(producer.closed());
    }
}
