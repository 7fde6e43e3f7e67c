package dev.mcgate.host;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.RecordType;
import java.util.Optional;

/**
 * The Current-State Records that answer a query (RFC 3376 §5.2, RFC 9777 §6.3): IS_IN / IS_EX with the whole state, or, for a
 * group-and-source-specific query, the part of the queried sources the state wants. Pure functions.
 */
public final class CurrentState {

    private CurrentState() {}

    /** MODE_IS_INCLUDE or MODE_IS_EXCLUDE with the state's sources; empty for NONE (no reception state). */
    public static Optional<HostRecord> record(IpAddress group, Subscription state) {
        if (state.isNone()) {
            return Optional.empty();
        }
        RecordType type = state.mode() == FilterMode.INCLUDE ? RecordType.MODE_IS_INCLUDE : RecordType.MODE_IS_EXCLUDE;
        return Optional.of(new HostRecord(type, group, state.sources()));
    }

    /** The answer to a group-and-source-specific query for {@code queried}; empty when there is nothing to say. */
    public static Optional<HostRecord> sourceRecord(IpAddress group, Subscription state, SourceSet queried) {
        if (state.isNone()) {
            return Optional.empty();
        }
        SourceSet answer = state.mode() == FilterMode.INCLUDE
                // INCLUDE (A)   B   IS_IN (A*B)
                ? state.sources().intersection(queried)
                // EXCLUDE (A)   B   IS_IN (B-A)
                : queried.difference(state.sources());
        // "If the resulting Current-State Record has an empty set of source addresses, then no response is sent."
        return answer.isEmpty()
                ? Optional.empty()
                : Optional.of(new HostRecord(RecordType.MODE_IS_INCLUDE, group, answer));
    }
}
