package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pending responses to IGMPv3 queries of one interface (RFC 3376 §5.2, RFC 9777 §6.3): the interface timer for General Queries,
 * and per group a timer and the list of sources recorded from Group-and-Source-Specific Queries. Decides, by the five
 * rules of §5.2, whether and when a new query is answered; says when an answer is due through {@link Due}.
 * Loop thread only.
 */
final class PendingResponses {

    /** What to send when a timer expires. */
    interface Due {
        /** The interface timer expired: Current-State Records for every group with reception state. */
        void generalResponse();

        /** A group timer expired; {@code sources} empty for a Group-Specific Query. */
        void groupResponse(IpAddress group, SourceSet sources);
    }

    private final class Pending {
        Timer timer;
        SourceSet sources;
    }

    private final Scheduler scheduler;
    private final Due due;
    private Timer interfaceTimer;
    private final Map<IpAddress, Pending> groups = new TreeMap<>();

    PendingResponses(Scheduler scheduler, Due due) {
        this.scheduler = scheduler;
        this.due = due;
    }

    /**
     * Schedules the answer to a query, {@code delay} being the random delay chosen in (0, Max Resp Time).
     *
     * @param group   null for a General Query
     * @param sources the queried sources (empty for General and Group-Specific Queries)
     */
    void query(IpAddress group, SourceSet sources, Duration delay) {
        // 1. A pending response to a General Query scheduled sooner than the selected delay: nothing more to do.
        if (interfaceTimer != null
                && interfaceTimer.isPending()
                && scheduler.remaining(interfaceTimer).compareTo(delay) < 0) {
            return;
        }
        // 2. A General Query: the interface timer answers it after the delay; a pending one is cancelled.
        if (group == null) {
            if (interfaceTimer != null) {
                interfaceTimer.cancel();
            }
            interfaceTimer = scheduler.schedule(delay, this::generalDue);
            return;
        }
        Pending p = groups.get(group);
        // 3. No pending response for this group: the group timer answers, with the queried sources recorded.
        if (p == null) {
            p = new Pending();
            p.sources = sources;
            p.timer = scheduler.schedule(delay, () -> groupDue(group));
            groups.put(group, p);
            return;
        }
        Duration sooner = min(scheduler.remaining(p.timer), delay);
        if (sources.isEmpty() || p.sources.isEmpty()) {
            // 4. A Group-Specific Query, or a pending one with no recorded sources: one answer about the whole group.
            p.sources = SourceSet.EMPTY;
        } else {
            // 5. A Group-and-Source-Specific Query and pending recorded sources: answer about both lists.
            p.sources = p.sources.union(sources);
        }
        // Either way, at the earliest of the pending time and the new delay.
        p.timer.cancel();
        p.timer = scheduler.schedule(sooner, () -> groupDue(group));
    }

    /** Cancels every pending response (compatibility mode change, stop). */
    void cancelAll() {
        if (interfaceTimer != null) {
            interfaceTimer.cancel();
            interfaceTimer = null;
        }
        groups.values().forEach(p -> p.timer.cancel());
        groups.clear();
    }

    boolean generalPending() {
        return interfaceTimer != null && interfaceTimer.isPending();
    }

    boolean groupPending(IpAddress group) {
        return groups.containsKey(group);
    }

    private void generalDue() {
        interfaceTimer = null;
        due.generalResponse();
    }

    private void groupDue(IpAddress group) {
        Pending p = groups.remove(group);
        // "after any required Report messages have been generated, the source lists ... are cleared": removing does it.
        due.groupResponse(group, p == null ? SourceSet.EMPTY : p.sources);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
