package dev.mcgate.igmp;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import java.time.Duration;
import java.util.Objects;

/**
 * A query as the router side reads and writes it, the same in both protocols: the codec of each family
 * ({@link IgmpQueries}, {@link MldQueries}) turns it into the wire message of the version asked for.
 *
 * <p>The version is a <em>generation</em>, numbered as IGMP's: 1 is IGMPv1; 2 is IGMPv2 or MLDv1; 3 is IGMPv3 or MLDv2.
 * MLDv1 is IGMPv2 translated to IPv6 and MLDv2 is IGMPv3 (RFC 9777 §1), so the state machines need one numbering.
 *
 * @param generation 1, 2 or 3 (IGMP numbering)
 * @param group the group asked about, or null for a General Query
 * @param suppressRouterSideProcessing the S flag (RFC 9776 §4.1.5, RFC 9777 §5.1.7); generation 3 only
 * @param sources the sources asked about (generation 3 only; empty for a general or group-specific query)
 * @param maxResponse the Max Resp Time / Maximum Response Delay
 * @param robustness QRV as on the wire, 0..7 (0: above 7 or not carried)
 * @param queryIntervalSeconds QQI in seconds (0: not carried)
 */
public record Query(
        int generation,
        IpAddress group,
        boolean suppressRouterSideProcessing,
        SourceSet sources,
        Duration maxResponse,
        int robustness,
        int queryIntervalSeconds) {

    public Query {
        if (generation < 1 || generation > 3) {
            throw new IllegalArgumentException("generation " + generation);
        }
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(maxResponse, "maxResponse");
        if (group == null && !sources.isEmpty()) {
            throw new IllegalArgumentException("a general query has no sources");
        }
    }

    public boolean isGeneral() {
        return group == null;
    }

    public boolean isGroupAndSourceSpecific() {
        return !sources.isEmpty();
    }
}
