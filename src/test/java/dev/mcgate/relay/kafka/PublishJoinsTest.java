package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.relay.DatagramConsumer;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.relay.RelayPort;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the Kafka publisher joins: single-group lines, always or while their topic is consumed, and reload diffs. */
class PublishJoinsTest {

    private static final String FEED_A = "239.100.0.1";
    private static final String FEED_B = "239.100.0.2";
    private static final String SOURCE = "10.1.0.5";

    /** What the proxy heard for relay:kafka, as "group subscription". */
    private final List<String> told = new ArrayList<>();

    private final ManualScheduler time = new ManualScheduler();
    private final RelayPort port = new RelayPort("relay:kafka", 65535, () -> 0);
    private final LocalMemberships book = new LocalMemberships(
            "relay:kafka", time, (name, group, now) -> told.add(group + " " + now), port, Duration.ZERO);
    private final AtomicLong joins = new AtomicLong();
    private final AtomicLong leaves = new AtomicLong();
    private static final DatagramConsumer PUBLISHER = d -> {};

    private static KafkaPublishRule rule(String groups, String source, String topic) {
        return new KafkaPublishRule(
                IpPrefix.parse(groups), Optional.ofNullable(source).map(IpAddress::parse), Optional.ofNullable(topic));
    }

    private static KafkaRelayConfig config(KafkaPublishMode mode, String pattern, KafkaPublishRule... rules) {
        return new KafkaRelayConfig(
                "127.0.0.1:9092",
                Optional.empty(),
                KafkaRelayConfig.DEFAULT_LINGER,
                KafkaRelayConfig.DEFAULT_BATCH_SIZE,
                64,
                1 << 20,
                KafkaRelayConfig.DEFAULT_DELIVERY_TIMEOUT,
                KafkaRelayConfig.DEFAULT_MAX_BLOCK,
                pattern,
                mode,
                List.of(rules),
                List.of());
    }

    private PublishJoins joins(KafkaRelayConfig config) {
        return new PublishJoins(book, PUBLISHER, config, joins, leaves);
    }

    @Test
    void alwaysJoinsEachSingleGroupLineWithItsSourceAndNoRange() {
        PublishJoins j = joins(config(
                KafkaPublishMode.ALWAYS,
                "md.%group",
                rule(FEED_A + "/32", SOURCE, "feed-a"),
                rule("239.200.0.0/16", null, null),
                rule(FEED_B, null, null)));
        assertEquals(2, j.targets().size());
        assertEquals(1, book.consumers(IpAddress.parse(FEED_A), IpAddress.parse(SOURCE)));
        assertEquals(1, book.consumers(IpAddress.parse(FEED_B), null));
        assertEquals(
                List.of(
                        FEED_A + " " + Subscription.include(SourceSet.of(List.of(IpAddress.parse(SOURCE)))),
                        FEED_B + ANY),
                told);
        assertEquals(2, joins.get());
    }

    @Test
    void whileConsumedJoinsAGroupOnlyWhileItsTopicIsReadAndLeavesWhenItIsNot() {
        PublishJoins j = joins(config(
                KafkaPublishMode.WHILE_CONSUMED, "md.%group", rule(FEED_A, null, "feed-a"), rule(FEED_B, null, null)));
        assertEquals(List.of(), told, "nothing is consumed until the cluster says so");
        j.consumed(Set.of("md." + FEED_B));
        assertEquals(List.of(FEED_B + ANY), told);
        told.clear();
        j.consumed(Set.of("feed-a"));
        assertEquals(
                List.of(FEED_B + NONE, FEED_A + ANY), told, "the group nobody reads is left, the one read now joined");
        assertEquals(1, leaves.get());
    }

    @Test
    void aTopicMadeFromTheSourceCannotBeWaitedForAndIsJoinedAlways() {
        PublishJoins j = joins(config(KafkaPublishMode.WHILE_CONSUMED, "md.%source.%group", rule(FEED_A, null, null)));
        assertEquals(1, j.targets().size());
    }

    @Test
    void aReloadJoinsNewLinesLeavesRemovedOnesAndLeavesTheRestAlone() {
        PublishJoins j =
                joins(config(KafkaPublishMode.ALWAYS, "md.%group", rule(FEED_A, null, "a"), rule(FEED_B, null, "b")));
        told.clear();
        j.follow(config(KafkaPublishMode.ALWAYS, "md.%group", rule(FEED_B, null, "b"), rule("239.100.0.3", null, "c")));
        assertEquals(
                List.of(FEED_A + NONE, "239.100.0.3" + ANY), told, "the kept line is neither left nor joined again");
        j.leaveAll();
        assertEquals(0, j.targets().size());
        assertEquals(Set.of(), book.subscriptions().keySet());
        assertEquals(joins.get(), leaves.get());
    }

    private static final String ANY = " " + Subscription.ANY_SOURCE;
    private static final String NONE = " " + Subscription.NONE;
}
