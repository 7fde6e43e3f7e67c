package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPacing;
import dev.mcgate.config.KafkaSubscription;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;

/**
 * Sends the records of one Kafka topic as multicast on some interfaces ({@code kafka-subscribe}). One thread
 * ({@code kafka-sub-TOPIC}) polls, sends each record in the order polled (a partition's order, and a flow lives in one
 * partition), optionally paced to its flow's original spacing ({@link FlowPacer}), then commits the poll's offsets:
 * at-least-once, a restart resumes from the last commit and may send again only the records of the poll it was in.
 */
public final class KafkaSubscriber implements AutoCloseable {

    /** A silence longer than this in a flow is not reproduced. */
    static final Duration MAX_PACED_GAP = Duration.ofSeconds(1);

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaSubscription subscription;
    private final Consumer<byte[], byte[]> consumer;
    private final List<MulticastOut> outs;
    private final SubscribeStats stats;
    private final PaceClock clock;
    private final FlowPacer pacer = new FlowPacer(MAX_PACED_GAP.toNanos());
    private final RateLimitedLog warnings = new RateLimitedLog(
            LoggerFactory.getLogger(KafkaSubscriber.class),
            new RateLimiter(5, Duration.ofSeconds(10), System::nanoTime));

    private volatile boolean running;
    private Thread thread;

    KafkaSubscriber(
            KafkaSubscription subscription,
            Consumer<byte[], byte[]> consumer,
            List<MulticastOut> outs,
            SubscribeStats stats,
            PaceClock clock) {
        this.subscription = subscription;
        this.consumer = consumer;
        this.outs = List.copyOf(outs);
        this.stats = stats;
        this.clock = clock;
    }

    public SubscribeStats stats() {
        return stats;
    }

    /** Subscribes and starts the thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        consumer.subscribe(List.of(subscription.topic()));
        running = true;
        thread = new Thread(this::run, "kafka-sub-" + subscription.topic());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                pollOnce(POLL);
            }
        } catch (WakeupException e) {
            // close() woke the poll up
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(KafkaSubscriber.class)
                    .error("kafka subscription to {} stopped: {}", subscription.topic(), e.toString(), e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            outs.forEach(MulticastOut::close);
        }
    }

    /** One poll: sends its records, then commits them. Returns how many records it held. */
    int pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return 0;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!running && thread != null) {
                // Stopping: the rest of this poll is not committed and is read again after a restart.
                return records.count();
            }
            send(r);
        }
        try {
            consumer.commitSync();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // A rebalance or a broker away: these records may be sent again by whoever reads the partition next.
            stats.commitFailed();
            warnings.warn("kafka subscription to " + subscription.topic() + ": commit failed: " + e);
        }
        return records.count();
    }

    private void send(ConsumerRecord<byte[], byte[]> r) {
        RelayFlow flow;
        try {
            flow = RelayFlow.fromKey(r.key());
        } catch (IllegalArgumentException e) {
            stats.malformed();
            return;
        }
        if (subscription.pacing() == KafkaPacing.ORIGINAL) {
            Header arrival = r.headers().lastHeader(RelayHeaders.ARRIVAL_NS);
            if (arrival != null && arrival.value() != null && arrival.value().length == 8) {
                clock.sleepUntil(pacer.sendAt(flow, RelayHeaders.readLong(arrival.value()), clock.nanoTime()));
            }
        }
        IpAddress group = subscription.localGroup(flow.group());
        if (group.isLinkLocalMulticast() || flow.port() == 0) {
            // 224.0.0.0/24 and ff02:: are the LAN's own protocols (IGMP, MLD, routing), never relayed, and port 0 is
            // no destination: anyone who may produce to the topic could otherwise make this box speak them.
            stats.malformed();
            return;
        }
        byte[] payload = r.value() == null ? new byte[0] : r.value();
        for (MulticastOut out : outs) {
            try {
                out.send(group, flow.port(), ByteBuffer.wrap(payload));
            } catch (IOException e) {
                stats.sendFailed();
                warnings.warn("kafka subscription to " + subscription.topic() + ": cannot send to " + group + " on "
                        + out.name() + ": " + e.getMessage());
            }
        }
        stats.sent();
    }

    /** Stops the thread; the records of an unfinished poll are not committed. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            outs.forEach(MulticastOut::close);
            return;
        }
        consumer.wakeup();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
