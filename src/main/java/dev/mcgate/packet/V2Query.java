package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.Objects;

/**
 * An IGMPv2 Membership Query (RFC 2236 §2): 8 octets, a non-zero Max Resp Time in 1/10 s, general or group-specific.
 */
public record V2Query(Ip4 group, int maxRespTime) implements MembershipQuery {

    public V2Query {
        Objects.requireNonNull(group, "group");
        // RFC 3376 §7.1: an 8-octet query with Max Resp Code 0 is a v1 query, so a v2 query needs 1..255.
        if (maxRespTime < 1 || maxRespTime > 255) {
            throw new IllegalArgumentException("v2 Max Resp Time must be 1..255 tenths of a second: " + maxRespTime);
        }
    }
}
