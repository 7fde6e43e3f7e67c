package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.List;
import java.util.Objects;

/**
 * An MLDv2 Multicast Listener Query (RFC 9777 §5.1): general, multicast-address-specific, or
 * multicast-address-and-source-specific.
 *
 * <p>{@code maxResponseDelay} (ms, the 16-bit code of §5.1.3) and {@code querierQueryInterval} (s, the 8-bit QQIC of
 * §5.1.9) are the values the codes stand for; a value no code stands for is raised to the next one that does (as it
 * would be on the wire), so that decoding an encoded query gives back an equal record.
 *
 * @param suppressRouterSideProcessing the S flag (§5.1.7)
 * @param querierRobustnessVariable QRV, 0..7 (§5.1.8); 0 means the sender's robustness is above 7
 * @param querierQueryInterval QQI in seconds (§5.1.9)
 * @param sources the source list in wire order (§5.1.11)
 */
public record MldV2Query(
        Ip6 multicastAddress,
        int maxResponseDelay,
        boolean suppressRouterSideProcessing,
        int querierRobustnessVariable,
        int querierQueryInterval,
        List<Ip6> sources)
        implements MulticastListenerQuery {

    public MldV2Query {
        Objects.requireNonNull(multicastAddress, "multicastAddress");
        if (maxResponseDelay < 0 || querierQueryInterval < 0) {
            throw new IllegalArgumentException("negative time in query");
        }
        if (querierRobustnessVariable < 0 || querierRobustnessVariable > 7) {
            throw new IllegalArgumentException("QRV is 3 bits: " + querierRobustnessVariable);
        }
        maxResponseDelay = FloatingPointCode.representable16(maxResponseDelay);
        querierQueryInterval = FloatingPointCode.representable(querierQueryInterval);
        sources = List.copyOf(sources);
        if (!sources.isEmpty() && multicastAddress.isUnspecified()) {
            throw new IllegalArgumentException("a general query has no sources (RFC 9777 §5.1.10)");
        }
    }

    /** A General Query. */
    public static MldV2Query general(int maxResponseDelay, int qrv, int qqi) {
        return new MldV2Query(Ip6.UNSPECIFIED, maxResponseDelay, false, qrv, qqi, List.of());
    }

    public boolean isAddressAndSourceSpecific() {
        return !sources.isEmpty();
    }
}
