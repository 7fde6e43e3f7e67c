package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.net.IpAddress;
import dev.mcgate.relay.DatagramConsumer;
import dev.mcgate.relay.LocalMemberships;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the Kafka publisher joins as a local receiver: the group (and source) of each {@code kafka-publish} line that
 * names one group, so that the upstream joins it and the forwarder hands its datagrams to the publisher; with
 * {@code publish-mode while-consumed}, only while a consumer group reads the line's topic, so that the upstream
 * carries a group only while someone consumes it.
 *
 * <p>A line with a range ({@code 239.100.0.0/16}) cannot be joined (IGMP and MLD join single groups), so it publishes
 * only what another line of this block joins. A line whose topic depends on the source ({@code %source} in the
 * pattern, no {@code source}) cannot be matched to a consumed topic before its datagrams come: it is joined always and
 * its records are still gated one by one.
 *
 * <p>Threads: the loop's, as the book's.
 */
public final class PublishJoins {

    /** One join: a group from any source (null) or from one. */
    record Target(IpAddress group, IpAddress source) {}

    private final LocalMemberships book;
    private final DatagramConsumer publisher;
    private KafkaRelayConfig config;
    private Set<String> consumed = Set.of();
    private final Map<Target, LocalMemberships.Membership> joined = new LinkedHashMap<>();
    private final AtomicLong joins;
    private final AtomicLong leaves;

    /**
     * @param book      the publisher's interface's book ({@code relay:kafka})
     * @param publisher what the joined groups' datagrams go to
     * @param joins     counts each join made (readers on other threads: the counters)
     * @param leaves    counts each join left
     */
    public PublishJoins(
            LocalMemberships book,
            DatagramConsumer publisher,
            KafkaRelayConfig config,
            AtomicLong joins,
            AtomicLong leaves) {
        this.book = book;
        this.publisher = publisher;
        this.config = config;
        this.joins = joins;
        this.leaves = leaves;
        apply();
    }

    /** A reload's lines and mode: new targets joined, removed ones left, the others untouched. */
    public void follow(KafkaRelayConfig next) {
        config = next;
        apply();
    }

    /** The topics consumer groups read now ({@code while-consumed}): targets joined or left to match. */
    public void consumed(Set<String> topics) {
        consumed = Set.copyOf(topics);
        apply();
    }

    /** Every join left (the relay stops). */
    public void leaveAll() {
        joined.values().forEach(book::leave);
        leaves.addAndGet(joined.size());
        joined.clear();
    }

    /** The targets joined now, in join order. */
    List<Target> targets() {
        return List.copyOf(joined.keySet());
    }

    private void apply() {
        Set<Target> wanted = new LinkedHashSet<>();
        for (KafkaPublishRule rule : config.publish()) {
            target(rule).filter(t -> wanted(rule, t)).ifPresent(wanted::add);
        }
        for (Target t : List.copyOf(joined.keySet())) {
            if (!wanted.contains(t)) {
                book.leave(joined.remove(t));
                leaves.incrementAndGet();
            }
        }
        for (Target t : wanted) {
            if (!joined.containsKey(t)) {
                joined.put(t, book.join(t.group(), t.source(), publisher));
                joins.incrementAndGet();
            }
        }
    }

    /** The line's one group, or empty for a range. */
    static Optional<Target> target(KafkaPublishRule rule) {
        if (rule.groups().length() != rule.groups().family().bits()) {
            return Optional.empty();
        }
        return Optional.of(new Target(rule.groups().address(), rule.source().orElse(null)));
    }

    private boolean wanted(KafkaPublishRule rule, Target t) {
        if (config.publishMode() == KafkaPublishMode.ALWAYS) {
            return true;
        }
        boolean bySource = rule.topic().isEmpty()
                && rule.source().isEmpty()
                && config.topicPattern().contains("%source");
        if (bySource) {
            return true;
        }
        // The source does not appear in this topic: the group stands in for it.
        IpAddress source = t.source() == null ? t.group() : t.source();
        return consumed.contains(config.topicFor(rule, source, t.group()));
    }
}
