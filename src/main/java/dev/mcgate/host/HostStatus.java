package dev.mcgate.host;

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
 */
public record HostStatus(String name, CompatibilityMode mode, int robustness, Map<Ip4, Subscription> groups,
                         Optional<Ip4> lastQuerier, long stateChangeReports, long olderReports, long leaves,
                         long queries, long notReported) {

    public HostStatus {
        groups = Map.copyOf(groups);
    }
}
