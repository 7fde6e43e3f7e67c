package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The querier's "Send Q(G)" and "Send Q(G,X)" actions for one group, with their retransmissions (RFC 3376 §6.6.3):
 * timers are lowered to Last Member Query Time, one query goes out at once and [Last Member Query Count] - 1 more
 * follow every [Last Member Query Interval]. The S flag is worked out at each transmission from the timers then.
 */
final class LastMemberQueries {

    private final RouterContext context;
    private final GroupState group;
    /** Group-specific queries still to send. */
    private int groupRetransmissions;
    /** Sources with retransmission state, and how many queries each is still to be named in. */
    private final Map<IpAddress, Integer> sourceRetransmissions = new TreeMap<>(IpAddress::compareTo);

    private Timer next;

    LastMemberQueries(RouterContext context, GroupState group) {
        this.context = context;
        this.group = group;
    }

    /**
     * Starts the queries a table row asks for, both at once when a row says "Send Q(G,X-A); Send Q(G)". Only the
     * querier sends; a non-querier's timers are lowered when it hears the querier's queries (§6.6.1).
     */
    void request(boolean groupQuery, SourceSet sources) {
        if (!context.isQuerier() || context.configuredVersion() == 1) {
            return;
        }
        IgmpSettings settings = context.settings();
        Duration lmqt = settings.lastMemberQueryTime();
        boolean started = false;
        if (groupQuery) {
            // §6.6.3.1: "the group timer must be lowered to LMQT", then send and schedule LMQC - 1 retransmissions.
            group.groupTimer().lowerTo(lmqt);
            groupRetransmissions = settings.lastMemberQueryCount();
            started = true;
        }
        if (group.compatibilityMode() == 3) {
            // §6.6.3.2: for each source in X with a source timer larger than LMQT: retransmissions = LMQC, timer =
            // LMQT.
            for (IpAddress source : sources) {
                RfcTimer timer = group.sourceTimer(source);
                if (timer != null && timer.remaining().compareTo(lmqt) > 0) {
                    sourceRetransmissions.put(source, settings.lastMemberQueryCount());
                    timer.lowerTo(lmqt);
                    started = true;
                }
            }
        }
        if (started) {
            transmit();
        }
    }

    /** True while queries are still to be sent. */
    boolean isPending() {
        return groupRetransmissions > 0 || !sourceRetransmissions.isEmpty();
    }

    /** A deleted source leaves the retransmission state. */
    void forget(IpAddress source) {
        sourceRetransmissions.remove(source);
    }

    void cancel() {
        groupRetransmissions = 0;
        sourceRetransmissions.clear();
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /** One transmission of everything with retransmission state, then the next one LMQI later if any remains. */
    private void transmit() {
        if (next != null) {
            next.cancel();
            next = null;
        }
        if (!context.isQuerier()) {
            cancel();
            context.lastMemberQueriesDone();
            return;
        }
        IgmpSettings settings = context.settings();
        Duration lmqt = settings.lastMemberQueryTime();
        int version = context.configuredVersion();
        boolean groupQuery = groupRetransmissions > 0;
        if (groupQuery) {
            // §6.6.3.1: "if the group timer is larger than LMQT, the S bit is set in the query message".
            boolean suppress = group.groupTimer().remaining().compareTo(lmqt) > 0;
            send(QueryMessages.groupSpecific(version, settings, group.group(), suppress));
            groupRetransmissions--;
        }
        if (!sourceRetransmissions.isEmpty()) {
            // §6.6.3.2: one query with S set for sources whose timer is larger than LMQT, one with S clear for the
            // rest; an empty one is not sent, and the S-set one may be left out when a Q(G) goes at the same time.
            List<IpAddress> above = new ArrayList<>();
            List<IpAddress> atOrBelow = new ArrayList<>();
            Iterator<Map.Entry<IpAddress, Integer>> it =
                    sourceRetransmissions.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<IpAddress, Integer> e = it.next();
                RfcTimer timer = group.sourceTimer(e.getKey());
                if (timer == null) {
                    it.remove();
                    continue;
                }
                (timer.remaining().compareTo(lmqt) > 0 ? above : atOrBelow).add(e.getKey());
                if (e.getValue() <= 1) {
                    it.remove();
                } else {
                    e.setValue(e.getValue() - 1);
                }
            }
            if (!above.isEmpty() && !groupQuery) {
                send(QueryMessages.groupAndSourceSpecific(version, settings, group.group(), true, SourceSet.of(above)));
            }
            if (!atOrBelow.isEmpty()) {
                send(QueryMessages.groupAndSourceSpecific(
                        version, settings, group.group(), false, SourceSet.of(atOrBelow)));
            }
        }
        if (isPending()) {
            next = context.scheduler().schedule(settings.lastMemberQueryInterval(), this::transmit);
        } else {
            context.lastMemberQueriesDone();
        }
    }

    private void send(Query query) {
        if (query != null) {
            context.send(query);
        }
    }
}
