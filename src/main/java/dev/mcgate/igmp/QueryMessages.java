package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.FloatingPointCode;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3Query;
import java.time.Duration;
import java.util.List;

/**
 * Builds the queries of the configured IGMP version from the parameters in force: v3 queries carry Max Resp Code, S,
 * QRV and QQIC (RFC 3376 §4.1); v2 queries a Max Resp Time of at most 25.5 s (RFC 2236 §2.2); v1 queries nothing
 * (RFC 1112), and IGMPv1 has no group-specific queries.
 */
final class QueryMessages {

    private QueryMessages() {}

    /** A General Query with Max Resp Time = Query Response Interval (RFC 3376 §8.3). */
    static MembershipQuery general(int version, IgmpSettings settings) {
        int tenths = tenths(settings.queryResponseInterval());
        return switch (version) {
            case 1 -> V1Query.GENERAL;
            case 2 -> new V2Query(Ip4.ANY, Math.min(255, tenths));
            default ->
                new V3Query(
                        Ip4.ANY,
                        Math.min(FloatingPointCode.MAX_VALUE, tenths),
                        false,
                        qrv(settings),
                        qqi(settings),
                        List.of());
        };
    }

    /** A Group-Specific Query, Max Resp Time = Last Member Query Interval (RFC 3376 §8.8); null for IGMPv1. */
    static MembershipQuery groupSpecific(int version, IgmpSettings settings, Ip4 group, boolean suppress) {
        return groupAndSourceSpecific(version, settings, group, suppress, SourceSet.EMPTY);
    }

    /** A Group-and-Source-Specific Query (v3 only) or, with no sources, a Group-Specific one; null for IGMPv1. */
    static MembershipQuery groupAndSourceSpecific(
            int version, IgmpSettings settings, Ip4 group, boolean suppress, SourceSet sources) {
        int tenths = tenths(settings.lastMemberQueryInterval());
        return switch (version) {
            case 1 -> null;
            case 2 -> new V2Query(group, Math.min(255, tenths));
            default ->
                new V3Query(
                        group,
                        Math.min(FloatingPointCode.MAX_VALUE, tenths),
                        suppress,
                        qrv(settings),
                        qqi(settings),
                        sources.asList());
        };
    }

    /** RFC 3376 §4.1.6: QRV is 3 bits; a Robustness Variable above 7 is sent as 0. */
    static int qrv(IgmpSettings settings) {
        return settings.robustness() > 7 ? 0 : settings.robustness();
    }

    /** RFC 3376 §4.1.7: the Query Interval in whole seconds (at least 1: 0 would mean "use your default"). */
    static int qqi(IgmpSettings settings) {
        long seconds = Math.max(1, settings.queryInterval().toSeconds());
        return (int) Math.min(FloatingPointCode.MAX_VALUE, seconds);
    }

    /** A duration in tenths of a second, rounded up (never answer later than asked), at least 1. */
    static int tenths(Duration d) {
        long tenths = (d.toMillis() + 99) / 100;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tenths));
    }
}
