package dev.mcgate.host;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.util.Map;
import java.util.Optional;

/**
 * What one upstream host side looks like now, for status commands: an immutable copy.
 *
 * @param groups            the reception state advertised upstream, per group
 * @param lastQuerier       the source address of the last query heard
 * @param stateChangeReports IGMPv3 reports sent (state changes and query answers)
 * @param olderReports      IGMPv1/v2 reports sent
 * @param leaves            IGMPv2 Leave Group messages sent
 * @param queries           queries received
 * @param notReported       desired states never reported: 224.0.0.0/24, EXCLUDE mode in 232/8, 232/8 in v1/v2 mode
 * @param linkFilterFailures joins and leaves of group MACs the interface's multicast filter refused
 */
public record HostStatus(
        String name,
        CompatibilityMode mode,
        int robustness,
        Map<Ip4, Subscription> groups,
        Optional<Ip4> lastQuerier,
        long stateChangeReports,
        long olderReports,
        long leaves,
        long queries,
        long notReported,
        long linkFilterFailures) {

    public HostStatus {
        groups = Map.copyOf(groups);
    }

    /** A host side whose link filter never failed. */
    public HostStatus(
            String name,
            CompatibilityMode mode,
            int robustness,
            Map<Ip4, Subscription> groups,
            Optional<Ip4> lastQuerier,
            long stateChangeReports,
            long olderReports,
            long leaves,
            long queries,
            long notReported) {
        this(
                name,
                mode,
                robustness,
                groups,
                lastQuerier,
                stateChangeReports,
                olderReports,
                leaves,
                queries,
                notReported,
                0);
    }

    /** Every {@link HostCounter} of this upstream. */
    public void recordInto(CounterRecorder out) {
        out.record(HostCounter.STATE_CHANGE_REPORTS, stateChangeReports, name);
        out.record(HostCounter.OLDER_REPORTS, olderReports, name);
        out.record(HostCounter.LEAVES, leaves, name);
        out.record(HostCounter.QUERIES_HEARD, queries, name);
        out.record(HostCounter.NOT_REPORTED, notReported, name);
        out.record(HostCounter.LINK_FILTER_FAILURES, linkFilterFailures, name);
    }
}
