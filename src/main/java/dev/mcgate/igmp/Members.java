package dev.mcgate.igmp;

import dev.mcgate.net.Ip4;
import java.util.HashMap;
import java.util.Map;

/**
 * The hosts known to want one group, by the address they report from, for fast leave: when the last one leaves, the
 * group can be pruned at once. A host not heard from for a Group Membership Interval is forgotten, so a host that
 * vanished silently never blocks a fast leave for long; a host it cannot see still answers the last-member queries.
 */
final class Members {

    private final Map<Ip4, Long> lastHeardNanos = new HashMap<>();

    void heard(Ip4 reporter, long nowNanos) {
        lastHeardNanos.put(reporter, nowNanos);
    }

    /** Removes the reporter; true if no other member was heard within {@code intervalNanos} of {@code nowNanos}. */
    boolean leftAndNoneRemain(Ip4 reporter, long nowNanos, long intervalNanos) {
        lastHeardNanos.remove(reporter);
        lastHeardNanos.values().removeIf(t -> nowNanos - t > intervalNanos);
        return lastHeardNanos.isEmpty();
    }

    int count() {
        return lastHeardNanos.size();
    }

    void clear() {
        lastHeardNanos.clear();
    }
}
