package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.time.Duration;

/**
 * A Membership Query of any version (type 0x11); the version is told apart on the wire by length and Max Resp Code (RFC 3376 §7.1).
 */
public sealed interface MembershipQuery extends IgmpMessage permits V1Query, V2Query, V3Query {

    /** The group asked about, or 0.0.0.0 for a General Query. */
    Ip4 group();

    /** Max Resp Time in units of 1/10 second (v1 queries carry none: RFC 2236 §4 says to use 100, i.e. 10 s). */
    int maxRespTime();

    default Duration maxResponseDuration() {
        return Duration.ofMillis(100L * maxRespTime());
    }

    default boolean isGeneral() {
        return group().equals(Ip4.ANY);
    }

    @Override
    default Ip4 destination() {
        return isGeneral() ? Ip4.ALL_SYSTEMS : group();
    }
}
