package dev.mcgate.packet;

import dev.mcgate.net.Ip4;

/**
 * An IGMPv1 Membership Query (RFC 1112 appendix I): 8 octets with Max Resp Code 0. The group field is unused and normally 0.
 */
public record V1Query(Ip4 group) implements MembershipQuery {

    /** The general v1 query. */
    public static final V1Query GENERAL = new V1Query(Ip4.ANY);

    public V1Query {
        java.util.Objects.requireNonNull(group, "group");
    }

    /** RFC 2236 §4: a v1 query is answered as if its Max Resp Time were 100 (10 s). */
    @Override
    public int maxRespTime() {
        return 100;
    }
}
