package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.Objects;

/**
 * An IGMPv2 Membership Report (type 0x16, RFC 2236 §2.1), sent to the group.
 */
public record V2MembershipReport(Ip4 group) implements IgmpMessage {

    public V2MembershipReport {
        Objects.requireNonNull(group, "group");
    }

    @Override
    public Ip4 destination() {
        return group;
    }
}
