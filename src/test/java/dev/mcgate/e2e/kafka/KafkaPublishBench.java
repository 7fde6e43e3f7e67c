package dev.mcgate.e2e.kafka;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.lab.InJvmKafkaBroker;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.relay.kafka.KafkaPublisher;
import dev.mcgate.relay.kafka.KafkaRelays;
import dev.mcgate.relay.kafka.PublishStats;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Kafka publisher's bench figures (issue 18), by hand, against the in-JVM broker ({@link InJvmKafkaBroker}, KRaft, one
 * node on localhost): the added latency (datagram arrival to broker acknowledgement, p50/p99) at a steady rate, and the
 * publish rate when datagrams are offered as fast as one thread can (what the broker acknowledged per second, and
 * what the hand-off dropped). The publisher is built as the daemon builds it ({@link KafkaRelays}), with the kafka
 * block's defaults; what offers the datagrams is this runner's thread instead of a capture thread.
 *
 * <p>Arguments: {@code [RATE [SECONDS [PAYLOAD]]]}, default 10000 datagrams/s for 10 s of 64-byte payloads.
 */
public final class KafkaPublishBench {

    private static final Ip4 SOURCE = Ip4.parse("10.1.0.5");
    private static final Ip4 GROUP = Ip4.parse("239.100.0.1");

    private KafkaPublishBench() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path dir = Files.createTempDirectory("kafka-bench");
        try (InJvmKafkaBroker broker = InJvmKafkaBroker.start(dir)) {
            System.out.printf(
                    Locale.ROOT,
                    "kafka publish bench: %d-byte payloads, broker %s%n",
                    payload,
                    broker.bootstrapServers());
            row("steady", broker, "bench.steady", rate, seconds, payload);
            row("flat out", broker, "bench.flat", 0, seconds, payload);
        }
        System.exit(0); // the broker's leftover non-daemon threads
    }

    /** One row: offers for {@code seconds} at {@code rate} (0: as fast as possible), then waits for the acks. */
    private static void row(String name, InJvmKafkaBroker broker, String topic, int rate, int seconds, int payload)
            throws Exception {
        KafkaRelayConfig config = new KafkaRelayConfig(
                broker.bootstrapServers(),
                Optional.empty(),
                KafkaRelayConfig.DEFAULT_LINGER,
                KafkaRelayConfig.DEFAULT_BATCH_SIZE,
                KafkaRelayConfig.DEFAULT_HANDOFF_RECORDS,
                KafkaRelayConfig.DEFAULT_HANDOFF_BYTES,
                KafkaRelayConfig.DEFAULT_DELIVERY_TIMEOUT,
                KafkaRelayConfig.DEFAULT_MAX_BLOCK,
                KafkaRelayConfig.DEFAULT_TOPIC_PATTERN,
                KafkaPublishMode.ALWAYS,
                List.of(new KafkaPublishRule(IpPrefix.parse(GROUP + "/32"), Optional.empty(), Optional.of(topic))),
                List.of());
        KafkaPublisher publisher = KafkaRelays.publisher(config);
        publisher.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!publisher.ready() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // The topic exists once its first record is acknowledged: a warm-up, not counted in the row.
        ByteBuffer b = ByteBuffer.allocate(payload);
        publisher.offer(SOURCE, GROUP, 4000, 5000, b, epochNanos());
        while (publisher.stats().published() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        PublishStats before = publisher.stats();
        long ackedBefore = before.published();
        long droppedBefore = before.drops();
        long gap = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long offered = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            if (gap > 0) {
                long due = start + offered * gap;
                if (due - now > 200_000) {
                    LockSupport.parkNanos(due - now);
                }
            }
            b.clear();
            b.putLong(0, offered);
            publisher.offer(SOURCE, GROUP, 4000, 5000, b, epochNanos());
            offered++;
        }
        double offerSeconds = (System.nanoTime() - start) / 1e9;
        // Everything offered is acknowledged or counted within the delivery timeout.
        long settle =
                System.nanoTime() + config.deliveryTimeout().plusSeconds(2).toNanos();
        while (publisher.stats().published() + publisher.stats().drops() - ackedBefore - droppedBefore < offered
                && System.nanoTime() < settle) {
            Thread.sleep(20);
        }
        double allSeconds = (System.nanoTime() - start) / 1e9;
        PublishStats s = publisher.stats();
        long acked = s.published() - ackedBefore;
        PublishStats.Latency latency = s.latency();
        System.out.printf(
                Locale.ROOT,
                "%-9s offered %d in %.1f s (%.0f/s); acknowledged %d (%.0f/s until the last ack), dropped %d;"
                        + " arrival to ack p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                name,
                offered,
                offerSeconds,
                offered / offerSeconds,
                acked,
                acked / allSeconds,
                s.drops() - droppedBefore,
                latency.p50Micros() / 1000.0,
                latency.p99Micros() / 1000.0,
                latency.maxMicros() / 1000.0);
        publisher.close(Duration.ofSeconds(2));
    }

    private static long epochNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
