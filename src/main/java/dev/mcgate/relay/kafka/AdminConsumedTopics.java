package dev.mcgate.relay.kafka;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumed topics as the cluster's group coordinators see them: two requests per look (list the stable consumer
 * groups, describe them), whatever the number of topics published.
 */
final class AdminConsumedTopics implements ConsumedTopics, AutoCloseable {

    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;

    AdminConsumedTopics(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Set<String> read() throws Exception {
        List<String> groups = admin
                .listGroups(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE)))
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .stream()
                .map(GroupListing::groupId)
                .toList();
        Set<String> topics = new HashSet<>();
        if (groups.isEmpty()) {
            return topics;
        }
        for (ConsumerGroupDescription g : admin.describeConsumerGroups(groups)
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .values()) {
            for (MemberDescription m : g.members()) {
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    topics.add(tp.topic());
                }
            }
        }
        return topics;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
