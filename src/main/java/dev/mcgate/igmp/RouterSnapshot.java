package dev.mcgate.igmp;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only picture of one router interface at one moment, for status output and tests.
 *
 * @param querier whether this router is the querier
 * @param querierAddress the querier's address (this router's own when it is the querier)
 * @param otherQuerierPresent time left on the Other Querier Present timer (zero when querier)
 * @param robustness the Robustness Variable in force (adopted from the querier's QRV when not querier)
 * @param queryInterval the Query Interval in force (adopted from the querier's QQIC when not querier)
 * @param groups every group record, in address order
 * @param counters what was ignored or noticed, every {@link RouterCounter} (zeros included)
 */
public record RouterSnapshot(
        String interfaceName,
        IpAddress address,
        int configuredVersion,
        boolean querier,
        IpAddress querierAddress,
        Duration otherQuerierPresent,
        int robustness,
        Duration queryInterval,
        List<Group> groups,
        Map<RouterCounter, Long> counters) {

    public RouterSnapshot {
        groups = List.copyOf(groups);
        Map<RouterCounter, Long> copy = new java.util.EnumMap<>(RouterCounter.class);
        copy.putAll(counters);
        counters = java.util.Collections.unmodifiableMap(copy);
    }

    /** Every {@link RouterCounter} of this downstream, labelled with its protocol ({@code igmp} or {@code mld}). */
    public void recordInto(dev.mcgate.counters.CounterRecorder out) {
        String protocol = address.family().membershipProtocol().toLowerCase(java.util.Locale.ROOT);
        for (RouterCounter c : RouterCounter.VALUES) {
            out.record(c, counters.getOrDefault(c, 0L), interfaceName, protocol);
        }
    }

    /**
     * One group record.
     *
     * @param groupTimer time left on the group timer (zero in INCLUDE mode)
     * @param sources the source records with their timers (zero: in the exclude list Y)
     * @param compatibilityMode the Group Compatibility Mode, 1, 2 or 3 (RFC 3376 §7.3.2)
     * @param members reporters known to want the group (fast leave)
     * @param subscription what §6.3 says to forward, as published to the listener
     */
    public record Group(
            IpAddress group,
            FilterMode filterMode,
            Duration groupTimer,
            Map<IpAddress, Duration> sources,
            int compatibilityMode,
            Duration v1HostPresent,
            Duration v2HostPresent,
            int members,
            Subscription subscription,
            boolean lastMemberQueriesPending) {

        public Group {
            sources = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sources));
        }
    }

    public Optional<Group> group(IpAddress address) {
        return groups.stream().filter(g -> g.group().equals(address)).findFirst();
    }
}
