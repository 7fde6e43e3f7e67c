package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code kafka-subscribe} line: a topic whose records are sent as multicast on some interfaces.
 *
 * @param topic      the topic read
 * @param groupId    the Kafka consumer group whose committed offsets say where to resume
 * @param interfaces the interfaces each datagram is sent on, in the order written
 * @param remap      a record's group to the group it is sent as here (each pair of one family); others keep theirs
 * @param ttl        the IPv4 TTL or IPv6 hop limit of the datagrams sent
 * @param pacing     whether the original spacing of a flow is kept
 */
public record KafkaSubscription(
        String topic,
        String groupId,
        List<String> interfaces,
        SortedMap<IpAddress, IpAddress> remap,
        int ttl,
        KafkaPacing pacing) {

    public KafkaSubscription {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupId, "groupId");
        interfaces = List.copyOf(interfaces);
        remap = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(remap));
        Objects.requireNonNull(pacing, "pacing");
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl " + ttl + " is out of range 1..255");
        }
    }

    /** The group a record of {@code group} is sent to here. */
    public IpAddress localGroup(IpAddress group) {
        return remap.getOrDefault(group, group);
    }
}
