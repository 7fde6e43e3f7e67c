package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import java.util.List;
import java.util.Objects;

/**
 * An IGMPv3 Membership Query (RFC 3376 §4.1): general, group-specific, or group-and-source-specific.
 *
 * <p>{@code maxRespTime} (1/10 s) and {@code querierQueryInterval} (s) are the values the floating-point codes stand for;
 * a value that no code stands for is raised to the next one that does (as it would be on the wire), so that
 * decoding an encoded query gives back an equal record.
 *
 * @param suppressRouterSideProcessing the S flag (§4.1.5)
 * @param querierRobustnessVariable QRV, 0..7 (§4.1.6); 0 means the sender's robustness is above 7
 * @param querierQueryInterval QQI in seconds (§4.1.7)
 * @param sources the source list in wire order (§4.1.9)
 */
public record V3Query(
        Ip4 group,
        int maxRespTime,
        boolean suppressRouterSideProcessing,
        int querierRobustnessVariable,
        int querierQueryInterval,
        List<Ip4> sources)
        implements MembershipQuery {

    public V3Query {
        Objects.requireNonNull(group, "group");
        if (maxRespTime < 0 || querierQueryInterval < 0) {
            throw new IllegalArgumentException("negative time in query");
        }
        if (querierRobustnessVariable < 0 || querierRobustnessVariable > 7) {
            throw new IllegalArgumentException("QRV is 3 bits: " + querierRobustnessVariable);
        }
        maxRespTime = FloatingPointCode.representable(maxRespTime);
        querierQueryInterval = FloatingPointCode.representable(querierQueryInterval);
        sources = List.copyOf(sources);
        if (!sources.isEmpty() && group.equals(Ip4.ANY)) {
            throw new IllegalArgumentException("a general query has no sources (RFC 3376 §4.1.9)");
        }
    }

    /** A General Query. */
    public static V3Query general(int maxRespTime, int qrv, int qqi) {
        return new V3Query(Ip4.ANY, maxRespTime, false, qrv, qqi, List.of());
    }

    public SourceSet sourceSet() {
        return SourceSet.of(sources);
    }

    public boolean isGroupAndSourceSpecific() {
        return !sources.isEmpty();
    }
}
