package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.time.Duration;

/**
 * A Multicast Listener Query of either version (ICMPv6 type 130); the version is told apart on the wire by length (RFC
 * 9777 §8.1: 24 octets is MLDv1, 28 or more is MLDv2).
 */
public sealed interface MulticastListenerQuery extends MldMessage permits MldV1Query, MldV2Query {

    /** The address asked about, or {@code ::} for a General Query. */
    Ip6 multicastAddress();

    /** Maximum Response Delay in milliseconds (RFC 2710 §3, RFC 9777 §5.1.3). */
    int maxResponseDelay();

    default Duration maxResponseDuration() {
        return Duration.ofMillis(maxResponseDelay());
    }

    default boolean isGeneral() {
        return multicastAddress().isUnspecified();
    }

    @Override
    default Ip6 destination() {
        return isGeneral() ? Ip6.ALL_NODES : multicastAddress();
    }
}
