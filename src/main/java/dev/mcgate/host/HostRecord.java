package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import java.util.Objects;

/**
 * One record of a version-3-generation report, the same in both families: an IGMPv3 Group Record (RFC 9776 §4.2.4) or
 * an MLDv2 Multicast Address Record (RFC 9777 §5.2.4); each family's output adapter turns it into its wire record.
 */
public record HostRecord(dev.mcgate.packet.RecordType type, IpAddress group, SourceSet sources) {

    public HostRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(sources, "sources");
        if (!sources.isEmpty() && sources.family() != group.family()) {
            throw new IllegalArgumentException("sources of " + sources.family() + " for group " + group);
        }
    }
}
