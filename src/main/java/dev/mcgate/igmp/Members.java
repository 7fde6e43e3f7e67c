package dev.mcgate.igmp;

import dev.mcgate.net.IpAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The hosts known to want one group, by the address they report from, for fast leave: when the last one leaves, the
 * group can be pruned at once. A host not heard from for a Group Membership Interval is forgotten, so a host that
 * vanished silently never blocks a fast leave for long; a host it cannot see still answers the last-member queries.
 *
 * <p>At most max-hosts are tracked (spoofed senders would grow the map without bound). A host heard while the table is
 * full is not tracked, but it is remembered that one was: for a Group Membership Interval after, no leave counts as
 * the last one, so the group is pruned by last-member queries, which every real member answers.
 */
final class Members {

    private final Map<IpAddress, Long> lastHeardNanos = new HashMap<>();
    private boolean untrackedHeard;
    private long untrackedHeardNanos;

    /**
     * A member reported at {@code nowNanos}.
     *
     * @return false if it is not tracked: the table holds {@code maxHosts} hosts heard within {@code intervalNanos}
     */
    boolean heard(IpAddress reporter, long nowNanos, int maxHosts, long intervalNanos) {
        if (lastHeardNanos.size() >= maxHosts && !lastHeardNanos.containsKey(reporter)) {
            lastHeardNanos.values().removeIf(t -> nowNanos - t > intervalNanos);
            if (lastHeardNanos.size() >= maxHosts) {
                untrackedHeard = true;
                untrackedHeardNanos = nowNanos;
                return false;
            }
        }
        lastHeardNanos.put(reporter, nowNanos);
        return true;
    }

    /**
     * Removes the reporter; true if no other member was heard within {@code intervalNanos} of {@code nowNanos}, an
     * untracked one included.
     */
    boolean leftAndNoneRemain(IpAddress reporter, long nowNanos, long intervalNanos) {
        lastHeardNanos.remove(reporter);
        lastHeardNanos.values().removeIf(t -> nowNanos - t > intervalNanos);
        if (untrackedHeard && nowNanos - untrackedHeardNanos <= intervalNanos) {
            return false;
        }
        untrackedHeard = false;
        return lastHeardNanos.isEmpty();
    }

    int count() {
        return lastHeardNanos.size();
    }

    void clear() {
        lastHeardNanos.clear();
        untrackedHeard = false;
    }
}
