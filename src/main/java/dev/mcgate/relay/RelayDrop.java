package dev.mcgate.relay;

import java.util.Locale;

/** Why a datagram the forwarder sent into a relay's port reached no consumer. */
public enum RelayDrop {
    /** Not an IPv4 or IPv6 packet, or its header or UDP header is cut short. */
    TRUNCATED,
    /** Not UDP (another protocol sent to the group). */
    NOT_UDP,
    /** A fragment: the relay does not reassemble (the forwarder forwards fragments; a local receiver cannot use them). */
    FRAGMENT,
    /** No consumer of the group (a leave under way) or of its source. */
    NO_CONSUMER;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
