package dev.mcgate.e2e.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.e2e.EndToEnd;
import dev.mcgate.lab.InJvmKafkaBroker;
import dev.mcgate.net.Ip4;
import dev.mcgate.relay.kafka.KafkaPublisher;
import dev.mcgate.relay.kafka.KafkaRelays;
import dev.mcgate.relay.kafka.KafkaSubscriber;
import dev.mcgate.relay.kafka.PublishDrop;
import dev.mcgate.relay.kafka.PublishStats;
import dev.mcgate.relay.kafka.RelayFlow;
import dev.mcgate.relay.kafka.RelayHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The Kafka relay against a real broker: Apache Kafka in KRaft mode in this JVM ({@link InJvmKafkaBroker}), the real
 * producer and consumer, and the kernel's UDP stack on loopback as the multicast receiver. Not a namespace test, but
 * slow (about a minute), so it runs with the e2e profile.
 */
@EndToEnd
@Isolated
class KafkaRelayE2ETest {

    private static final int PAYLOAD = 100;
    private static final int PORT = 5000;

    @TempDir
    static Path dir;

    private static InJvmKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        long t0 = System.nanoTime();
        broker = InJvmKafkaBroker.start(dir.resolve("kafka-logs"));
        System.out.printf("kafka broker (KRaft, in this JVM) started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaRelayConfig config(String statements) throws Exception {
        String text = "interface lo {\n    role upstream\n}\nkafka {\n    bootstrap-servers "
                + broker.bootstrapServers() + "\n" + statements + "}\n";
        return ConfigLoader.parse(text, "kafka-e2e.conf", Format.NATIVE)
                .config()
                .kafka()
                .orElseThrow();
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
            // The controller has the topic; wait until the broker serves it with a leader for every partition, as a
            // topic that exists before mcgate starts would be (the producer waits for metadata otherwise).
            assertTrue(waitFor(Duration.ofSeconds(20), () -> {
                try {
                    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            }));
        }
    }

    private static long epochNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** A payload that says which flow and which datagram of the test it is. */
    private static ByteBuffer payload(int flow, long index) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD);
        b.putInt(0, flow).putLong(4, index);
        return b;
    }

    private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(20_000_000);
        }
        return true;
    }

    /** Every record of the topic, partition by partition, until {@code expected} are read or none came for 3 s. */
    private static List<ConsumerRecord<byte[], byte[]>> readBack(String topic, long expected) {
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName(),
                "max.poll.records",
                "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long idleSince = System.nanoTime();
            while (out.size() < expected && System.nanoTime() - idleSince < 3_000_000_000L) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                    records.forEach(out::add);
                }
            }
        }
        return out;
    }

    private static long header(ConsumerRecord<byte[], byte[]> r, String name) {
        return RelayHeaders.readLong(r.headers().lastHeader(name).value());
    }

    private static void report(String what, PublishStats s, long offered, long nanos) {
        PublishStats.Latency l = s.latency();
        System.out.printf(
                "%s: %d offered in %.1f s (%.0f/s), %d acknowledged, %d dropped; arrival to ack p50 %d us, p99 %d us,"
                        + " max %d us%n",
                what,
                offered,
                nanos / 1e9,
                offered / (nanos / 1e9),
                s.published(),
                s.drops(),
                l.p50Micros(),
                l.p99Micros(),
                l.maxMicros());
    }

    private static void drops(PublishStats s) {
        for (PublishDrop d : PublishDrop.values()) {
            System.out.printf("  drops %s: %d%n", d.label(), s.drops(d));
        }
    }

    @Test
    void aHundredThousandDatagramsAtTenThousandASecondReachTheTopicInOrder() throws Exception {
        long started = System.nanoTime();
        String topic = "feed-a";
        createTopic(topic, 4);
        int flows = 8;
        long total = 100_000;
        KafkaPublisher publisher = KafkaRelays.publisher(config("    kafka-publish 239.100.0.0/16 topic feed-a\n"));
        publisher.start();
        assertTrue(waitFor(Duration.ofSeconds(10), publisher::ready));
        long t0 = System.nanoTime();
        long refused = 0;
        for (long i = 0; i < total; i++) {
            if (i % 10 == 0) {
                // 10 000 a second: ten datagrams every millisecond
                long due = t0 + i * 100_000;
                for (long left; (left = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
            }
            int f = (int) (i % flows);
            boolean taken = publisher.offer(
                    Ip4.of(10, 1, 0, 1 + f), Ip4.of(239, 100, 0, 1 + f), 4000, PORT, payload(f, i), epochNanos());
            refused += taken ? 0 : 1;
        }
        long offering = System.nanoTime() - t0;
        PublishStats s = publisher.stats();
        assertTrue(waitFor(Duration.ofSeconds(30), () -> s.published() + s.drops() == total));
        report("publish 100k at 10k/s", s, total, offering);
        drops(s);
        publisher.close();
        assertEquals(0, refused);
        assertEquals(0, s.drops());
        assertEquals(total, s.published());

        List<ConsumerRecord<byte[], byte[]>> records = readBack(topic, total);
        assertEquals(total, records.size());
        Map<RelayFlow, Long> nextSequence = new HashMap<>();
        Map<RelayFlow, Long> lastIndex = new HashMap<>();
        Set<Integer> partitionsOfFlow = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            RelayFlow flow = RelayFlow.fromKey(r.key());
            ByteBuffer p = ByteBuffer.wrap(r.value());
            int f = p.getInt(0);
            long index = p.getLong(4);
            assertEquals(Ip4.of(239, 100, 0, 1 + f), flow.group(), "the key is the datagram's flow");
            assertEquals(f, index % flows);
            long expected = nextSequence.getOrDefault(flow, 0L);
            assertEquals(expected, header(r, RelayHeaders.SEQUENCE), "flow " + flow + " in order, none missing");
            nextSequence.put(flow, expected + 1);
            assertTrue(index > lastIndex.getOrDefault(flow, -1L));
            lastIndex.put(flow, index);
            if (f == 0) {
                partitionsOfFlow.add(r.partition());
            }
        }
        assertEquals(flows, nextSequence.size());
        assertEquals(1, partitionsOfFlow.size(), "one flow, one partition");
        System.out.printf("test (a) took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @Test
    void aBrokerDownForTenSecondsLosesOnlyCountedRecordsAndPublishingResumesByItself() throws Exception {
        long started = System.nanoTime();
        String topic = "feed-b";
        createTopic(topic, 1);
        KafkaPublisher publisher = KafkaRelays.publisher(
                config("    delivery-timeout 3s\n    kafka-publish 239.100.0.0/16 topic feed-b\n"));
        publisher.start();
        assertTrue(waitFor(Duration.ofSeconds(10), publisher::ready));
        PublishStats s = publisher.stats();
        long rate = 2000;
        long periodNanos = 1_000_000_000L / rate;
        long[] outage = new long[2]; // offer indexes when the broker was stopped and when it was back
        long t0 = System.nanoTime();
        CompletableFuture<Void> bounce = CompletableFuture.runAsync(() -> {
            LockSupport.parkNanos(4_000_000_000L);
            outage[0] = (System.nanoTime() - t0) / periodNanos;
            broker.stop();
            LockSupport.parkNanos(10_000_000_000L);
            broker.start();
            outage[1] = (System.nanoTime() - t0) / periodNanos;
        });
        long i = 0;
        for (; !bounce.isDone() || System.nanoTime() - t0 < outage[1] * periodNanos + 6_000_000_000L; i++) {
            long due = t0 + i * periodNanos;
            for (long left; (left = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            publisher.offer(Ip4.parse("10.1.0.5"), Ip4.parse("239.100.0.1"), 4000, PORT, payload(0, i), epochNanos());
        }
        bounce.join();
        long offered = i;
        long offering = System.nanoTime() - t0;
        assertTrue(waitFor(Duration.ofSeconds(30), () -> s.published() + s.drops() == offered));
        report("publish through a 10 s broker outage", s, offered, offering);
        drops(s);
        publisher.close();

        List<ConsumerRecord<byte[], byte[]>> records = readBack(topic, s.published());
        Set<Long> indexes = new HashSet<>();
        long firstAfterOutage = Long.MAX_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long index = ByteBuffer.wrap(r.value()).getLong(4);
            assertTrue(indexes.add(index), "no datagram twice in the log");
            if (index >= outage[1]) {
                firstAfterOutage = Math.min(firstAfterOutage, index);
            }
        }
        assertEquals(s.published(), records.size());
        assertEquals(offered, records.size() + s.drops(), "every datagram is in the topic or counted as dropped");
        assertTrue(s.drops() > 0, "a 10 s outage with a 3 s delivery timeout costs records");
        // Resumed by itself: everything offered from 2 s after the broker was back is in the topic.
        for (long k = outage[1] + 2 * rate; k < offered; k++) {
            assertTrue(indexes.contains(k), "datagram " + k + " after the broker came back");
        }
        System.out.printf(
                "  broker stopped at datagram %d, back at %d; first datagram offered after it was back was"
                        + " acknowledged: %d; test (b) took %.1f s%n",
                outage[0], outage[1], firstAfterOutage, (System.nanoTime() - started) / 1e9);
    }

    @Test
    void aSubscriberSendsTheTopicAsMulticastInOrderAndResumesFromItsCommit() throws Exception {
        long started = System.nanoTime();
        String topic = "feed-c";
        createTopic(topic, 1);
        int total = 10_000;
        KafkaPublisher publisher = KafkaRelays.publisher(
                config("    handoff-records 16384\n    kafka-publish 239.100.0.0/16 topic feed-c\n"));
        publisher.start();
        long arrival0 = epochNanos();
        for (int i = 0; i < total; i++) {
            int f = i % 2;
            // Arrival stamps 100 us apart: pace original replays them at 10 000 a second.
            assertTrue(publisher.offer(
                    Ip4.parse("10.1.0.5"),
                    Ip4.of(239, 100, 0, 1 + f),
                    4000,
                    PORT,
                    payload(f, i),
                    arrival0 + i * 100_000L));
        }
        assertTrue(waitFor(Duration.ofSeconds(20), () -> publisher.stats().published() == total));
        publisher.close();

        Path props = dir.resolve("kafka.properties");
        Files.writeString(props, "auto.offset.reset=earliest\n");
        Files.setPosixFilePermissions(props, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        KafkaRelayConfig sub = config("    kafka-properties " + props + "\n"
                + "    kafka-subscribe topic feed-c group-id floor interfaces lo remap 239.100.0.1 239.77.0.1 ttl 1"
                + " pace original\n");

        NetworkInterface lo = NetworkInterface.getByName("lo");
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET)) {
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            receiver.bind(new InetSocketAddress(PORT));
            // Flow 0 is remapped: only its new group is joined, so a datagram sent to the old one is never seen.
            receiver.join(InetAddress.getByName("239.77.0.1"), lo);
            receiver.join(InetAddress.getByName("239.100.0.2"), lo);
            List<long[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        b.clear();
                        receiver.receive(b);
                        received.add(new long[] {b.getInt(0), b.getLong(4), System.nanoTime()});
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();

            KafkaSubscriber first =
                    KafkaRelays.subscriber(sub, sub.subscriptions().get(0));
            first.start();
            assertTrue(waitFor(Duration.ofSeconds(20), () -> received.size() >= total / 2));
            first.close();
            int firstRun = received.size();
            long lastOfFirst = received.get(firstRun - 1)[1];

            KafkaSubscriber second =
                    KafkaRelays.subscriber(sub, sub.subscriptions().get(0));
            second.start();
            assertTrue(waitFor(Duration.ofSeconds(20), () -> {
                synchronized (received) {
                    return received.size() > firstRun && received.get(received.size() - 1)[1] == total - 1;
                }
            }));
            LockSupport.parkNanos(300_000_000); // anything sent twice or late would come now
            second.close();

            List<long[]> all;
            synchronized (received) {
                all = List.copyOf(received);
            }
            Set<Long> seen = new HashSet<>();
            for (long[] r : all) {
                seen.add(r[1]);
            }
            assertEquals(total, seen.size(), "every record reached the receiver");
            // Each run sent in the topic's order, flows interleaved as published.
            for (int k = 1; k < all.size(); k++) {
                if (k != firstRun) {
                    assertEquals(all.get(k - 1)[1] + 1, all.get(k)[1], "in order within run, at " + k);
                }
            }
            long resumedAt = all.get(firstRun)[1];
            long duplicates = lastOfFirst + 1 - resumedAt;
            assertTrue(
                    duplicates >= 0 && duplicates <= 500,
                    "the second run resumes at the committed offset; only the last poll (max 500) may come again: "
                            + duplicates);
            long spacing = (all.get(all.size() - 1)[2] - all.get(firstRun)[2]) / (all.size() - firstRun - 1);
            System.out.printf(
                    "subscribe: first run sent %d, stopped after datagram %d; second run resumed at %d (%d again),"
                            + " sent %d, mean spacing %.0f us (original 100 us); test (c) took %.1f s%n",
                    firstRun,
                    lastOfFirst,
                    resumedAt,
                    duplicates,
                    all.size() - firstRun,
                    spacing / 1e3,
                    (System.nanoTime() - started) / 1e9);
            assertTrue(spacing > 80_000, "pace original keeps the 100 us spacing, not faster: " + spacing + " ns");
            assertEquals(0, first.stats().sendFailedCount() + second.stats().sendFailedCount());
        }
    }

    @Test
    void whileConsumedPublishesOnlyWhileAConsumerGroupReadsTheTopic() throws Exception {
        long started = System.nanoTime();
        String topic = "feed-d";
        createTopic(topic, 1);
        KafkaPublisher publisher = KafkaRelays.publisher(
                config("    publish-mode while-consumed\n    kafka-publish 239.100.0.0/16 topic feed-d\n"));
        publisher.start();
        PublishStats s = publisher.stats();
        java.util.concurrent.atomic.AtomicBoolean offering = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread source = new Thread(() -> {
            for (long i = 0; offering.get(); i++) {
                publisher.offer(
                        Ip4.parse("10.1.0.5"), Ip4.parse("239.100.0.1"), 4000, PORT, payload(0, i), epochNanos());
                LockSupport.parkNanos(10_000_000); // 100 a second
            }
        });
        source.start();
        try {
            assertTrue(waitFor(Duration.ofSeconds(10), () -> s.drops(PublishDrop.NOT_CONSUMED) >= 200));
            assertEquals(0, s.published(), "nobody reads the topic: nothing is published");

            Map<String, Object> props = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "group.id", "watcher",
                    "key.deserializer", ByteArrayDeserializer.class.getName(),
                    "value.deserializer", ByteArrayDeserializer.class.getName());
            java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
            long joined = System.nanoTime();
            Thread consumer = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
                    c.subscribe(List.of(topic));
                    while (reading.get()) {
                        read.addAndGet(c.poll(Duration.ofMillis(100)).count());
                    }
                }
            });
            consumer.start();
            assertTrue(waitFor(Duration.ofSeconds(20), () -> read.get() > 0), "a group reads: publishing starts");
            long startedAfter = System.nanoTime() - joined;
            reading.set(false);
            consumer.join();
            long left = System.nanoTime();
            long notConsumedBefore = s.drops(PublishDrop.NOT_CONSUMED);
            assertTrue(
                    waitFor(Duration.ofSeconds(20), () -> s.drops(PublishDrop.NOT_CONSUMED) > notConsumedBefore + 50),
                    "the group left: publishing stops");
            System.out.printf(
                    "while-consumed: published from %.1f s after the consumer started, stopped within %.1f s of its"
                            + " leaving; %d published, %d not-consumed; test took %.1f s%n",
                    startedAfter / 1e9,
                    (System.nanoTime() - left) / 1e9,
                    s.published(),
                    s.drops(PublishDrop.NOT_CONSUMED),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            offering.set(false);
            source.join();
            publisher.close();
        }
    }
}
