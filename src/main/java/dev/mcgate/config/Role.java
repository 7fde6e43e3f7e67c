package dev.mcgate.config;

import java.util.Locale;

/** What mcgate does on an interface: the upstream host side, the downstream router side, or nothing. */
public enum Role {
    /** Towards the multicast sources: mcgate acts as a host here (RFC 4605 §2). */
    UPSTREAM,
    /** Towards receivers: mcgate is the IGMP querier / router here. */
    DOWNSTREAM,
    /** Ignored: no IGMP, no forwarding. */
    DISABLED;

    /** The keyword used in configuration files. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
