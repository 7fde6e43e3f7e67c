package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.Objects;

/**
 * An IGMPv2 Leave Group message (type 0x17, RFC 2236 §2.1), sent to all routers (224.0.0.2).
 */
public record LeaveGroup(Ip4 group) implements IgmpMessage {

    public LeaveGroup {
        Objects.requireNonNull(group, "group");
    }

    @Override
    public Ip4 destination() {
        return Ip4.ALL_ROUTERS;
    }
}
