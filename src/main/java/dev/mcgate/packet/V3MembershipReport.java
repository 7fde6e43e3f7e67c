package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.List;

/**
 * An IGMPv3 Membership Report (type 0x22, RFC 3376 §4.2), sent to all IGMPv3 routers (224.0.0.22).
 */
public record V3MembershipReport(List<GroupRecord> records) implements IgmpMessage {

    public V3MembershipReport {
        records = List.copyOf(records);
    }

    @Override
    public Ip4 destination() {
        return Ip4.ALL_IGMPV3_ROUTERS;
    }
}
