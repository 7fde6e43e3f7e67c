package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.Objects;

/** An MLDv1 Multicast Listener Report (ICMPv6 type 131, RFC 2710 §3), sent to the address it reports. */
public record MldV1Report(Ip6 multicastAddress) implements MldMessage {

    public MldV1Report {
        Objects.requireNonNull(multicastAddress, "multicastAddress");
    }

    @Override
    public Ip6 destination() {
        return multicastAddress;
    }
}
