package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.FloatingPointCode;

/**
 * Builds the queries of the configured generation from the parameters in force (RFC 9776 §8.3, §8.8; RFC 9777 §9.3,
 * §9.8): a general query asks within the Query Response Interval, group- and source-specific ones within the Last
 * Member Query Interval; generation 3 carries QRV and QQI. IGMPv1 has no group-specific queries.
 */
final class QueryMessages {

    private QueryMessages() {}

    /** A General Query with Max Resp Time = Query Response Interval. */
    static Query general(int generation, IgmpSettings settings) {
        return new Query(
                generation,
                null,
                false,
                SourceSet.EMPTY,
                settings.queryResponseInterval(),
                qrv(settings),
                qqi(settings));
    }

    /** A Group-Specific Query, Max Resp Time = Last Member Query Interval; null for IGMPv1. */
    static Query groupSpecific(int generation, IgmpSettings settings, IpAddress group, boolean suppress) {
        return groupAndSourceSpecific(generation, settings, group, suppress, SourceSet.EMPTY);
    }

    /** A Group-and-Source-Specific Query (generation 3 only) or, with no sources, a Group-Specific one; null for IGMPv1. */
    static Query groupAndSourceSpecific(
            int generation, IgmpSettings settings, IpAddress group, boolean suppress, SourceSet sources) {
        if (generation == 1) {
            return null;
        }
        boolean v3 = generation == 3;
        return new Query(
                generation,
                group,
                v3 && suppress,
                v3 ? sources : SourceSet.EMPTY,
                settings.lastMemberQueryInterval(),
                qrv(settings),
                qqi(settings));
    }

    /** RFC 9776 §4.1.6, RFC 9777 §5.1.8: QRV is 3 bits; a Robustness Variable above 7 is sent as 0. */
    static int qrv(IgmpSettings settings) {
        return settings.robustness() > 7 ? 0 : settings.robustness();
    }

    /** RFC 9776 §4.1.7: the Query Interval in whole seconds (at least 1: 0 would mean "use your default"). */
    static int qqi(IgmpSettings settings) {
        long seconds = Math.max(1, settings.queryInterval().toSeconds());
        return (int) Math.min(FloatingPointCode.MAX_VALUE, seconds);
    }
}
