package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.Objects;

/**
 * An MLDv1 Multicast Listener Query (RFC 2710 §3): 24 octets, general or address-specific, its Maximum Response Delay a
 * plain 16-bit count of milliseconds.
 */
public record MldV1Query(Ip6 multicastAddress, int maxResponseDelay) implements MulticastListenerQuery {

    public MldV1Query {
        Objects.requireNonNull(multicastAddress, "multicastAddress");
        if (maxResponseDelay < 0 || maxResponseDelay > 0xffff) {
            throw new IllegalArgumentException("v1 Maximum Response Delay is 16 bits of ms: " + maxResponseDelay);
        }
    }
}
