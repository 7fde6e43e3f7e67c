package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.net.IpAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes selected multicast datagrams to Kafka. {@link #offer} runs on the threads that receive datagrams and never
 * blocks: it copies the payload into a bounded {@link Handoff}. One publisher thread ({@code kafka-publish}) takes
 * them in order and hands each to the idempotent producer with its flow key and headers ({@link RelayFlow},
 * {@link RelayHeaders}). Every datagram a rule selected is either acknowledged or counted as a drop by reason
 * ({@link PublishStats}).
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    private final KafkaRelayConfig config;
    /** Swapped whole by a reload ({@link #rules(List)}); each datagram carries the rule that selected it. */
    private volatile KafkaPublishRule[] rules;

    private final Producer<byte[], byte[]> producer;
    private final Handoff handoff;
    private final PublishStats stats;
    private final ConsumptionGate gate;
    /** Wall-clock nanoseconds since the epoch: arrival times are on this clock. */
    private final LongSupplier epochNanos;
    /**
     * At most this many flows have a sequence at once: sources on a LAN are many if someone forges them. The flow
     * used longest ago is forgotten; if it comes back its sequence starts at 0 again, as after a restart.
     */
    static final int MAX_FLOWS = 65_536;

    /** Publisher thread only: each flow's topic, key and next sequence number, least recently used first. */
    private final Map<RelayFlow, FlowState> flows = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<RelayFlow, FlowState> eldest) {
            return size() > MAX_FLOWS;
        }
    };

    private volatile boolean running;
    private volatile boolean ready;
    private volatile boolean closed;
    private Thread thread;

    private static final class FlowState {
        KafkaPublishRule rule;
        String topic;
        final byte[] key;
        long next;

        FlowState(KafkaPublishRule rule, String topic, byte[] key) {
            this.rule = rule;
            this.topic = topic;
            this.key = key;
        }
    }

    KafkaPublisher(
            KafkaRelayConfig config, Producer<byte[], byte[]> producer, PublishStats stats, LongSupplier epochNanos) {
        this(config, producer, ConsumptionGate.ALWAYS, stats, epochNanos);
    }

    KafkaPublisher(
            KafkaRelayConfig config,
            Producer<byte[], byte[]> producer,
            ConsumptionGate gate,
            PublishStats stats,
            LongSupplier epochNanos) {
        this.config = config;
        this.gate = gate;
        this.rules = config.publish().toArray(KafkaPublishRule[]::new);
        this.producer = producer;
        this.handoff = new Handoff(config.handoffRecords(), config.handoffBytes());
        this.stats = stats;
        this.epochNanos = epochNanos;
    }

    /** The counters and latency figures. */
    public PublishStats stats() {
        return stats;
    }

    /**
     * Queues a datagram for publishing if a {@code kafka-publish} rule selects it. Any thread; never blocks.
     *
     * @param payload      the UDP payload, from its position to its limit (neither is changed)
     * @param arrivalNanos when it arrived, in nanoseconds since the Unix epoch
     * @return whether it was queued (false: no rule selects it, or the hand-off is full, which is counted)
     */
    public boolean offer(
            IpAddress source,
            IpAddress group,
            int sourcePort,
            int destinationPort,
            ByteBuffer payload,
            long arrivalNanos) {
        KafkaPublishRule rule = ruleFor(source, group);
        if (rule == null) {
            return false;
        }
        stats.offered();
        if (closed) {
            stats.drop(PublishDrop.STOPPED);
            return false;
        }
        if (!handoff.offer(new RelayFlow(source, group, destinationPort), rule, sourcePort, payload, arrivalNanos)) {
            stats.drop(PublishDrop.HANDOFF_FULL);
            return false;
        }
        return true;
    }

    /** The first rule that selects the datagram; a loop, not a stream: this runs for every datagram. */
    private KafkaPublishRule ruleFor(IpAddress source, IpAddress group) {
        for (KafkaPublishRule r : rules) {
            if (r.matches(source, group)) {
                return r;
            }
        }
        return null;
    }

    /**
     * A reload's new {@code kafka-publish} lines, from the next datagram on. Any thread. Flows keep their sequence; one
     * whose rule changed takes its new topic with its next record.
     */
    public void rules(List<KafkaPublishRule> now) {
        rules = now.toArray(KafkaPublishRule[]::new);
    }

    /** Starts the publisher thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        gate.start();
        thread = new Thread(this::run, "kafka-publish");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        warmUp();
        try {
            while (running) {
                Handoff.Datagram d = handoff.poll(100, TimeUnit.MILLISECONDS);
                if (d != null) {
                    publish(d);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fetches the metadata of every topic a rule names before the first datagram needs it, so that the first datagrams
     * do not wait for it (each send waits up to max-block, and the hand-off fills meanwhile). Topics made from the
     * pattern are known only when their first datagram comes. A broker that does not answer is not waited for here.
     */
    private void warmUp() {
        for (String topic :
                Arrays.stream(rules).flatMap(r -> r.topic().stream()).distinct().toList()) {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                LOG.warn("kafka: no metadata for topic {} yet: {}", topic, e.toString());
            }
        }
        ready = true;
    }

    /** Whether the publisher thread has fetched (or tried to fetch) the named topics' metadata and takes datagrams. */
    public boolean ready() {
        return ready;
    }

    /** Publishes what the hand-off holds now, on the caller's thread: for tests, which run no publisher thread. */
    int publishQueued() {
        int n = 0;
        for (Handoff.Datagram d; (d = handoff.poll()) != null; n++) {
            publish(d);
        }
        return n;
    }

    private void publish(Handoff.Datagram d) {
        FlowState flow = flows.computeIfAbsent(
                d.flow(), f -> new FlowState(d.rule(), config.topicFor(d.rule(), f.source(), f.group()), f.toKey()));
        if (flow.rule != d.rule()) {
            flow.rule = d.rule();
            flow.topic = config.topicFor(d.rule(), d.flow().source(), d.flow().group());
        }
        if (!gate.open(flow.topic)) {
            stats.drop(PublishDrop.NOT_CONSUMED);
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(RelayHeaders.SOURCE, d.flow().source().toBytes());
        headers.add(RelayHeaders.GROUP, d.flow().group().toBytes());
        headers.add(RelayHeaders.PORT, RelayHeaders.port(d.flow().port()));
        headers.add(RelayHeaders.SOURCE_PORT, RelayHeaders.port(d.sourcePort()));
        headers.add(RelayHeaders.ARRIVAL_NS, RelayHeaders.longValue(d.arrivalNanos()));
        headers.add(RelayHeaders.SEQUENCE, RelayHeaders.longValue(flow.next++));
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(flow.topic, null, null, flow.key, d.payload(), headers);
        try {
            producer.send(record, acknowledgement(flow.topic, d.arrivalNanos()));
        } catch (KafkaException | IllegalStateException e) {
            // What send() throws rather than hands to the callback: the producer is closed or broken.
            stats.drop(PublishDrop.SEND_FAILED);
            LOG.warn("kafka publish to {} failed: {}", flow.topic, e.toString());
        }
    }

    /**
     * Counts the outcome of one send. The producer reports its own refusals (no metadata within max.block.ms, no
     * buffer space) through the callback too, but at once, on the thread that called send(): that is how they are told
     * from records that expired later in the producer, whose callbacks run on its I/O thread.
     */
    private Callback acknowledgement(String topic, long arrivalNanos) {
        Thread sender = Thread.currentThread();
        return (metadata, exception) -> {
            boolean refusedAtSend = Thread.currentThread() == sender;
            if (exception == null) {
                stats.acknowledged(topic, epochNanos.getAsLong() - arrivalNanos);
            } else if (exception instanceof BufferExhaustedException) {
                stats.drop(PublishDrop.PRODUCER_BUFFER_FULL);
            } else if (exception instanceof TimeoutException) {
                stats.drop(refusedAtSend ? PublishDrop.BROKER_UNREACHABLE : PublishDrop.EXPIRED);
            } else {
                stats.drop(PublishDrop.SEND_FAILED);
            }
        };
    }

    /** Datagrams waiting in the hand-off. */
    public int queued() {
        return handoff.size();
    }

    /**
     * Stops the thread, then gives the producer up to {@code grace} to deliver what it holds; what it cannot is
     * counted by its callbacks (the producer fails them on close). Datagrams still in the hand-off are counted as
     * {@link PublishDrop#STOPPED}.
     */
    public void close(Duration grace) {
        Thread t;
        synchronized (this) {
            closed = true;
            running = false;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (handoff.poll() != null) {
            stats.drop(PublishDrop.STOPPED);
        }
        gate.close();
        producer.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
