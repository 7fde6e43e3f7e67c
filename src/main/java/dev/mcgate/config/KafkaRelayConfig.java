package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code kafka { }} block: where the cluster is, how records are produced, what is published and what is
 * subscribed to. Absent from {@link McgateConfig} when the file has no such block (the Kafka client is then never
 * loaded).
 *
 * @param bootstrapServers the brokers first contacted, host:port each
 * @param propertiesFile   a Java properties file handed to the Kafka clients as it is (TLS, SASL, client.id, ...)
 * @param linger           the producer's linger.ms: how long a batch waits for more records
 * @param batchSize        the producer's batch.size in bytes (per partition)
 * @param handoffRecords   how many datagrams may wait between the capture threads and the producer
 * @param handoffBytes     how many payload bytes may wait there
 * @param deliveryTimeout  a record not acknowledged this long after it was handed to the producer is dropped, counted
 * @param maxBlock         the longest the publisher thread waits for metadata or producer buffer space
 * @param topicPattern     the topic of a {@code kafka-publish} line without one: %group and %source are replaced
 * @param publishMode      always, or only while a consumer group reads the topic
 * @param publish          the publish lines, first match wins
 * @param subscriptions    the subscribe lines
 */
public record KafkaRelayConfig(
        String bootstrapServers,
        Optional<Path> propertiesFile,
        Duration linger,
        int batchSize,
        int handoffRecords,
        long handoffBytes,
        Duration deliveryTimeout,
        Duration maxBlock,
        String topicPattern,
        KafkaPublishMode publishMode,
        List<KafkaPublishRule> publish,
        List<KafkaSubscription> subscriptions) {

    /** The name the publisher has as a downstream interface: a colon keeps it apart from every real interface name. */
    public static final String INTERFACE_NAME = "relay:kafka";

    public static final Duration DEFAULT_LINGER = Duration.ofMillis(1);
    public static final int DEFAULT_BATCH_SIZE = 16 * 1024;
    public static final int DEFAULT_HANDOFF_RECORDS = 8192;
    public static final long DEFAULT_HANDOFF_BYTES = 8L << 20;
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMillis(100);
    public static final String DEFAULT_TOPIC_PATTERN = "mcgate.%group";

    public KafkaRelayConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(maxBlock, "maxBlock");
        Objects.requireNonNull(topicPattern, "topicPattern");
        Objects.requireNonNull(publishMode, "publishMode");
        publish = List.copyOf(publish);
        subscriptions = List.copyOf(subscriptions);
    }

    /**
     * The same settings for the clients (cluster, properties, producer, hand-off, topics, mode) without the publish and
     * subscribe lines: when a reload changes only those lines, the clients that run keep running.
     */
    public KafkaRelayConfig clientSettings() {
        return new KafkaRelayConfig(
                bootstrapServers,
                propertiesFile,
                linger,
                batchSize,
                handoffRecords,
                handoffBytes,
                deliveryTimeout,
                maxBlock,
                topicPattern,
                publishMode,
                List.of(),
                List.of());
    }

    /** The first publish rule that takes this source and group, if any. */
    public Optional<KafkaPublishRule> publishRule(IpAddress source, IpAddress group) {
        return publish.stream().filter(r -> r.matches(source, group)).findFirst();
    }

    /**
     * The topic of a datagram under a rule: the rule's own, else the pattern with %group and %source replaced. An
     * IPv6 address's colons become '-', which topic names allow ([a-zA-Z0-9._-]).
     */
    public String topicFor(KafkaPublishRule rule, IpAddress source, IpAddress group) {
        return rule.topic()
                .orElseGet(
                        () -> topicPattern.replace("%group", topicText(group)).replace("%source", topicText(source)));
    }

    private static String topicText(IpAddress address) {
        return address.toString().replace(':', '-');
    }
}
