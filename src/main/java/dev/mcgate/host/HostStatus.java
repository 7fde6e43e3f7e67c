package dev.mcgate.host;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.Subscription;
import java.util.Map;
import java.util.Optional;

/**
 * What one upstream host side (one family of one upstream) looks like now, for status commands: an immutable copy.
 *
 * @param family            IPv4 (IGMP) or IPv6 (MLD)
 * @param mode              the compatibility mode, a generation: {@link #versionName()} names it in the family
 * @param groups            the reception state advertised upstream, per group
 * @param lastQuerier       the source address of the last query heard
 * @param stateChangeReports IGMPv3 / MLDv2 reports sent (state changes and query answers)
 * @param olderReports      IGMPv1/v2 / MLDv1 reports sent
 * @param leaves            IGMPv2 Leave Group / MLDv1 Done messages sent
 * @param queries           queries received
 * @param notReported       desired states never reported: link-local scope groups, EXCLUDE mode in SSM ranges, SSM
 *                          groups in IGMPv1/v2 / MLDv1 mode
 * @param linkFilterFailures joins and leaves of group MACs the interface's multicast filter refused
 */
public record HostStatus(
        String name,
        IpFamily family,
        CompatibilityMode mode,
        int robustness,
        Map<IpAddress, Subscription> groups,
        Optional<IpAddress> lastQuerier,
        long stateChangeReports,
        long olderReports,
        long leaves,
        long queries,
        long notReported,
        long linkFilterFailures) {

    public HostStatus {
        groups = Map.copyOf(groups);
    }

    /** An IPv4 host side whose link filter never failed. */
    public HostStatus(
            String name,
            CompatibilityMode mode,
            int robustness,
            Map<? extends IpAddress, Subscription> groups,
            Optional<? extends IpAddress> lastQuerier,
            long stateChangeReports,
            long olderReports,
            long leaves,
            long queries,
            long notReported) {
        this(
                name,
                IpFamily.IPV4,
                mode,
                robustness,
                Map.copyOf(groups),
                lastQuerier.map(IpAddress.class::cast),
                stateChangeReports,
                olderReports,
                leaves,
                queries,
                notReported,
                0);
    }

    /** The version spoken upstream now: IGMPv3, MLDv1, ... */
    public String versionName() {
        return mode.versionName(family);
    }

    /** Every {@link HostCounter} of this upstream. */
    public void recordInto(CounterRecorder out) {
        String protocol = family.membershipProtocol().toLowerCase(java.util.Locale.ROOT);
        out.record(HostCounter.STATE_CHANGE_REPORTS, stateChangeReports, name, protocol);
        out.record(HostCounter.OLDER_REPORTS, olderReports, name, protocol);
        out.record(HostCounter.LEAVES, leaves, name, protocol);
        out.record(HostCounter.QUERIES_HEARD, queries, name, protocol);
        out.record(HostCounter.NOT_REPORTED, notReported, name, protocol);
        out.record(HostCounter.LINK_FILTER_FAILURES, linkFilterFailures, name, protocol);
    }
}
