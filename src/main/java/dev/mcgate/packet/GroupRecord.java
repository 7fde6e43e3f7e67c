package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import java.util.List;
import java.util.Objects;

/**
 * One group record of a v3 report (RFC 3376 §4.2.4): type, multicast address and sources in wire order. Auxiliary data is not kept (§4.2.10 says to ignore it).
 */
public record GroupRecord(RecordType type, Ip4 group, List<Ip4> sources) {

    public GroupRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(group, "group");
        sources = List.copyOf(sources);
    }

    public GroupRecord(RecordType type, Ip4 group, SourceSet sources) {
        this(type, group, sources.ip4List());
    }

    public SourceSet sourceSet() {
        return SourceSet.of(sources);
    }
}
