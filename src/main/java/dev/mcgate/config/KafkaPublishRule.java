package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code kafka-publish} line: the groups (and, optionally, the one source) whose datagrams go to a topic.
 *
 * @param groups the group range
 * @param source the only source taken; empty: any source
 * @param topic  the topic; empty: the Kafka block's {@code topic-pattern}
 */
public record KafkaPublishRule(IpPrefix groups, Optional<IpAddress> source, Optional<String> topic) {

    public KafkaPublishRule {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(topic, "topic");
    }

    /** Whether a datagram of this source and group is published under this rule. */
    public boolean matches(IpAddress sourceAddress, IpAddress group) {
        return groups.contains(group)
                && source.map(s -> s.equals(sourceAddress)).orElse(true);
    }
}
