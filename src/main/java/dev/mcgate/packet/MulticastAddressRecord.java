package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.List;
import java.util.Objects;

/**
 * One Multicast Address Record of an MLDv2 report (RFC 9777 §5.2.4): the record types are IGMPv3's ({@link
 * RecordType}), the addresses IPv6. Auxiliary data is not kept (§5.2.10 says to ignore it).
 */
public record MulticastAddressRecord(RecordType type, Ip6 multicastAddress, List<Ip6> sources) {

    public MulticastAddressRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(multicastAddress, "multicastAddress");
        sources = List.copyOf(sources);
    }
}
