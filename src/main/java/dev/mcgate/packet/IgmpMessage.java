package dev.mcgate.packet;

import dev.mcgate.net.Ip4;

/**
 * An IGMP message of any version, as the protocol state machines see it: plain values, no byte-level detail.
 */
public sealed interface IgmpMessage
        permits MembershipQuery, V1MembershipReport, V2MembershipReport, LeaveGroup, V3MembershipReport {

    /**
     * Where the message is sent (RFC 3376 §4.1.12, §4.2.14; RFC 2236 §3): general queries to all systems,
     * group-specific queries and v1/v2 reports to the group, leaves to all routers, v3 reports to 224.0.0.22.
     */
    Ip4 destination();
}
