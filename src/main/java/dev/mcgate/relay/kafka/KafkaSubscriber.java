package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPacing;
import dev.mcgate.config.KafkaSubscription;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;

/**
 * Sends the records of one Kafka topic as multicast on some interfaces ({@code kafka-subscribe}). One thread
 * ({@code kafka-sub-TOPIC}) polls, sends each record in the order polled (a partition's order, and a flow lives in one
 * partition), optionally paced to its flow's original spacing ({@link FlowPacer}), then commits the poll's offsets:
 * at-least-once: a stop commits what was sent, so a restart resumes where it stopped; a crash or a failed commit may
 * send again the records since the last commit.
 */
public final class KafkaSubscriber implements AutoCloseable {

    /** A silence longer than this in a flow is not reproduced. */
    static final Duration MAX_PACED_GAP = Duration.ofSeconds(1);

    private static final Duration POLL = Duration.ofMillis(100);
    /** A commit waits no longer for the broker: a stop must not hang on one that is away. */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(2);

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
    /** Set by {@link #close}: the poll being sent stops at the next record. */
    private volatile boolean stopping;

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

    /**
     * One poll: sends its records, then commits the offsets of what it sent. Stopping in the middle of a poll sends no
     * more of it and commits what was sent, so that a restart sends neither a record twice nor one never. Returns how
     * many records the poll held.
     */
    int pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> sent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (stopping) {
                break;
            }
            send(r);
            sent.put(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1, r.leaderEpoch(), ""));
        }
        commit(sent);
        return records.count();
    }

    /**
     * Commits the offsets after the records sent. A wakeup from {@link #close} that lands in the commit is consumed by
     * it (the consumer raises it once): the commit is made again, then the wakeup ends the thread.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> sent) {
        if (sent.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(sent, COMMIT_TIMEOUT);
        } catch (WakeupException e) {
            try {
                consumer.commitSync(sent, COMMIT_TIMEOUT);
            } catch (KafkaException again) {
                commitFailed(again);
            }
            throw e;
        } catch (KafkaException e) {
            commitFailed(e);
        }
    }

    /** A rebalance or a broker away: these records may be sent again by whoever reads the partition next. */
    private void commitFailed(KafkaException e) {
        stats.commitFailed();
        warnings.warn("kafka subscription to " + subscription.topic() + ": commit failed: " + e);
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

    /** The poll being sent stops at the next record, and what it sent is committed. */
    void stopSending() {
        stopping = true;
    }

    /** Stops the thread after committing what it sent; records of a poll it did not finish are read again later. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            stopSending();
            t = thread;
        }
        if (t == null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            outs.forEach(MulticastOut::close);
            return;
        }
        consumer.wakeup();
        try {
            // A paced wait, the commit and its retry, and the consumer's close each have their bound: all of them.
            t.join(MAX_PACED_GAP
                    .plus(COMMIT_TIMEOUT.multipliedBy(2))
                    .plusSeconds(3)
                    .toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
