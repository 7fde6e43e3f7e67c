package dev.mcgate.packet;

/** ICMPv6 type codes of the MLD messages (RFC 2710 §3, RFC 9777 §5). */
final class MldType {

    static final int MULTICAST_LISTENER_QUERY = 130;
    static final int V1_MULTICAST_LISTENER_REPORT = 131;
    static final int MULTICAST_LISTENER_DONE = 132;
    static final int V2_MULTICAST_LISTENER_REPORT = 143;

    private MldType() {}
}
