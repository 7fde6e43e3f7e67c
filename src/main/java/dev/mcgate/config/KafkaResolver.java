package dev.mcgate.config;

import dev.mcgate.net.IpPrefix;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fills in the kafka block's defaults and checks the rules between its statements. */
final class KafkaResolver {

    private final Problems problems;

    KafkaResolver(Problems problems) {
        this.problems = problems;
    }

    /** The block's configuration; when it has errors they are in the {@link Problems} and the result is unused. */
    KafkaRelayConfig resolve(ConfigDraft.Kafka k) {
        if (k.bootstrapServers == null) {
            problems.error(k.line, "the kafka block needs bootstrap-servers HOST:PORT[,HOST:PORT...]");
        }
        if (k.publish.isEmpty() && k.subscriptions.isEmpty()) {
            problems.warn(k.line, "the kafka block has no kafka-publish and no kafka-subscribe line: it does nothing");
        }
        for (Sourced<KafkaPublishRule> p : k.publish) {
            IpPrefix groups = p.value().groups();
            if (groups.length() != groups.family().bits()) {
                // The publisher receives a group by joining it, as a local receiver does: a range has no join.
                problems.warn(
                        p.line(),
                        "kafka-publish " + groups + " is a range: the relay joins single groups (IGMP and MLD have"
                                + " no range join), so this line publishes only groups another kafka-publish line"
                                + " joins; write a line per group");
            }
        }
        Duration linger = value(k.linger, KafkaRelayConfig.DEFAULT_LINGER);
        Duration deliveryTimeout = value(k.deliveryTimeout, KafkaRelayConfig.DEFAULT_DELIVERY_TIMEOUT);
        // The producer refuses delivery.timeout.ms < linger.ms + request.timeout.ms; the request timeout is what is
        // left of the delivery timeout, so at least a second must be left.
        if (deliveryTimeout.minus(linger).compareTo(Duration.ofSeconds(1)) < 0) {
            problems.error(
                    k.deliveryTimeout != null ? k.deliveryTimeout.line() : k.linger.line(),
                    "delivery-timeout must be at least 1s more than linger");
        }
        Map<String, Integer> consumers = new HashMap<>();
        for (Sourced<KafkaSubscription> s : k.subscriptions) {
            // Two consumers of one group on one topic would split its partitions between them: each sends half.
            Integer first =
                    consumers.putIfAbsent(s.value().topic() + "\0" + s.value().groupId(), s.line());
            if (first != null) {
                problems.error(
                        s.line(),
                        "kafka-subscribe: topic " + s.value().topic() + " with group-id "
                                + s.value().groupId() + " is already read at line " + first);
            }
        }
        return new KafkaRelayConfig(
                k.bootstrapServers == null ? "" : k.bootstrapServers.value(),
                Optional.ofNullable(k.propertiesFile).map(Sourced::value),
                linger,
                value(k.batchSize, KafkaRelayConfig.DEFAULT_BATCH_SIZE),
                value(k.handoffRecords, KafkaRelayConfig.DEFAULT_HANDOFF_RECORDS),
                value(k.handoffBytes, KafkaRelayConfig.DEFAULT_HANDOFF_BYTES),
                deliveryTimeout,
                value(k.maxBlock, KafkaRelayConfig.DEFAULT_MAX_BLOCK),
                value(k.topicPattern, KafkaRelayConfig.DEFAULT_TOPIC_PATTERN),
                value(k.publishMode, KafkaPublishMode.ALWAYS),
                k.publish.stream().map(Sourced::value).toList(),
                subscriptions(k.subscriptions));
    }

    private static List<KafkaSubscription> subscriptions(List<Sourced<KafkaSubscription>> list) {
        return list.stream().map(Sourced::value).toList();
    }

    private static <T> T value(Sourced<T> s, T otherwise) {
        return s == null ? otherwise : s.value();
    }
}
