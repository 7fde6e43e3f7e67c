package dev.mcgate.igmp;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.FloatingPointCode;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3Query;
import java.time.Duration;

/**
 * Turns a {@link Query} into the IGMP query of its generation and back: v3 carries Max Resp Code (tenths of a second,
 * floating point above 127), S, QRV and QQIC (RFC 9776 §4.1); v2 a Max Resp Time of at most 25.5 s (RFC 2236 §2.2);
 * v1 nothing (RFC 1112), and IGMPv1 has no group-specific queries.
 */
public final class IgmpQueries {

    private IgmpQueries() {}

    /** The wire message; null for a group-specific query in IGMPv1, which has none. */
    public static MembershipQuery encode(Query q) {
        Ip4 group = q.isGeneral() ? Ip4.ANY : (Ip4) q.group();
        int tenths = tenths(q.maxResponse());
        return switch (q.generation()) {
            case 1 -> q.isGeneral() ? V1Query.GENERAL : null;
            case 2 -> new V2Query(group, Math.min(255, tenths));
            default ->
                new V3Query(
                        group,
                        Math.min(FloatingPointCode.MAX_VALUE, tenths),
                        q.suppressRouterSideProcessing(),
                        q.robustness(),
                        q.queryIntervalSeconds(),
                        q.sources().ip4List());
        };
    }

    /** A query heard on the wire, as the router side reads it. */
    public static Query decode(MembershipQuery m) {
        Ip4 group = m.isGeneral() ? null : m.group();
        Duration maxResponse = m.maxResponseDuration();
        if (m instanceof V3Query v3) {
            return new Query(
                    3,
                    group,
                    v3.suppressRouterSideProcessing(),
                    v3.sourceSet(),
                    maxResponse,
                    v3.querierRobustnessVariable(),
                    v3.querierQueryInterval());
        }
        return new Query(m instanceof V1Query ? 1 : 2, group, false, SourceSet.EMPTY, maxResponse, 0, 0);
    }

    /** A duration in tenths of a second, rounded up (never answer later than asked), at least 1. */
    static int tenths(Duration d) {
        long tenths = (d.toMillis() + 99) / 100;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tenths));
    }
}
