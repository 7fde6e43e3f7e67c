package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.Objects;

/** An MLDv1 Multicast Listener Done (ICMPv6 type 132, RFC 2710 §3), sent to all routers (ff02::2). */
public record MldDone(Ip6 multicastAddress) implements MldMessage {

    public MldDone {
        Objects.requireNonNull(multicastAddress, "multicastAddress");
    }

    @Override
    public Ip6 destination() {
        return Ip6.ALL_ROUTERS;
    }
}
