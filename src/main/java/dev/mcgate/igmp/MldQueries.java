package dev.mcgate.igmp;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.FloatingPointCode;
import dev.mcgate.packet.MldV1Query;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MulticastListenerQuery;
import java.time.Duration;

/**
 * Turns a {@link Query} into the MLD query of its generation and back: generation 3 is an MLDv2 query, with a Maximum
 * Response Code in milliseconds (floating point from 32768, RFC 9777 §5.1.3), S, QRV and QQIC; generation 2 an MLDv1
 * query with a Maximum Response Delay of at most 65.535 s (RFC 2710 §3.4). MLD has no generation 1.
 */
public final class MldQueries {

    private MldQueries() {}

    public static MulticastListenerQuery encode(Query q) {
        Ip6 address = q.isGeneral() ? Ip6.UNSPECIFIED : (Ip6) q.group();
        long millis = millis(q.maxResponse());
        return switch (q.generation()) {
            case 2 -> new MldV1Query(address, (int) Math.min(0xffff, millis));
            case 3 ->
                new MldV2Query(
                        address,
                        (int) Math.min(FloatingPointCode.MAX_VALUE_16, millis),
                        q.suppressRouterSideProcessing(),
                        q.robustness(),
                        q.queryIntervalSeconds(),
                        q.sources().ip6List());
            default -> throw new IllegalArgumentException("MLD has no generation " + q.generation());
        };
    }

    /** A query heard on the wire, as the router side reads it. */
    public static Query decode(MulticastListenerQuery m) {
        Ip6 group = m.isGeneral() ? null : m.multicastAddress();
        Duration maxResponse = m.maxResponseDuration();
        if (m instanceof MldV2Query v2) {
            return new Query(
                    3,
                    group,
                    v2.suppressRouterSideProcessing(),
                    SourceSet.of(v2.sources()),
                    maxResponse,
                    v2.querierRobustnessVariable(),
                    v2.querierQueryInterval());
        }
        return new Query(2, group, false, SourceSet.EMPTY, maxResponse, 0, 0);
    }

    /** A duration in milliseconds, at least 1 (0 would ask for an immediate answer from every host at once). */
    static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }
}
