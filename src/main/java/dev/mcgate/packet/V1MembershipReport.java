package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.Objects;

/**
 * An IGMPv1 Membership Report (type 0x12, RFC 1112 appendix I), sent to the group.
 */
public record V1MembershipReport(Ip4 group) implements IgmpMessage {

    public V1MembershipReport {
        Objects.requireNonNull(group, "group");
    }

    @Override
    public Ip4 destination() {
        return group;
    }
}
