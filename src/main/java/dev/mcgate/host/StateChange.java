package dev.mcgate.host;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.RecordType;
import java.util.ArrayList;
import java.util.List;

/**
 * The State-Change Records a change of interface state implies (RFC 3376 §5.1 table; RFC 9777 §6.1 has the same one for MLDv2): a pure diff of the old and new
 * subscription of one group. Empty ALLOW / BLOCK records are left out; no change gives no record.
 */
public final class StateChange {

    private StateChange() {}

    public static List<HostRecord> records(IpAddress group, Subscription old, Subscription now) {
        List<HostRecord> out = new ArrayList<>(2);
        SourceSet a = old.sources();
        SourceSet b = now.sources();
        if (old.mode() == FilterMode.INCLUDE && now.mode() == FilterMode.INCLUDE) {
            // INCLUDE (A)   INCLUDE (B)   ALLOW (B-A), BLOCK (A-B)
            add(out, RecordType.ALLOW_NEW_SOURCES, group, b.difference(a));
            add(out, RecordType.BLOCK_OLD_SOURCES, group, a.difference(b));
        } else if (old.mode() == FilterMode.EXCLUDE && now.mode() == FilterMode.EXCLUDE) {
            // EXCLUDE (A)   EXCLUDE (B)   ALLOW (A-B), BLOCK (B-A)
            add(out, RecordType.ALLOW_NEW_SOURCES, group, a.difference(b));
            add(out, RecordType.BLOCK_OLD_SOURCES, group, b.difference(a));
        } else if (now.mode() == FilterMode.EXCLUDE) {
            // INCLUDE (A)   EXCLUDE (B)   TO_EX (B)
            out.add(new HostRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, group, b));
        } else {
            // EXCLUDE (A)   INCLUDE (B)   TO_IN (B)
            out.add(new HostRecord(RecordType.CHANGE_TO_INCLUDE_MODE, group, b));
        }
        return out;
    }

    private static void add(List<HostRecord> out, RecordType type, IpAddress group, SourceSet sources) {
        if (!sources.isEmpty()) {
            out.add(new HostRecord(type, group, sources));
        }
    }
}
