package dev.mcgate.packet;

import dev.mcgate.net.Ip6;

/**
 * An MLD message of either version, as the protocol state machines will see it: plain values, no byte-level detail.
 */
public sealed interface MldMessage permits MulticastListenerQuery, MldV1Report, MldDone, MldV2Report {

    /**
     * Where the message is sent (RFC 9777 §5.1.15, §5.2.14; RFC 2710 §5): general queries to all nodes, specific queries
     * and v1 reports to the address, Done to all routers, v2 reports to all MLDv2 routers (ff02::16).
     */
    Ip6 destination();
}
