package dev.mcgate.igmp;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The router state of one group on one interface (RFC 3376 §6.2.1): filter mode, group timer, and source records
 * with source timers, driven by the tables of §6.4.1 (current-state records) and §6.4.2 (state-change records) and
 * by timer expiry (§6.3, §6.5).
 *
 * <p>In INCLUDE(A), A is every source record (each has a running timer). In EXCLUDE(X,Y), X ("requested") are the
 * records with a running timer and Y ("exclude") those whose timer is zero. A group that does not exist is
 * INCLUDE{}; the owner deletes a record that is back to INCLUDE{}.
 */
final class GroupState {

    private final IpAddress group;
    private final RouterContext context;
    private final RfcTimer groupTimer;
    private final Map<IpAddress, RfcTimer> sources = new TreeMap<>(IpAddress::compareTo);
    private final LastMemberQueries queries;
    private final HostCompatibility compatibility;
    private final Members members = new Members();
    private FilterMode mode = FilterMode.INCLUDE;

    GroupState(IpAddress group, RouterContext context) {
        this.group = group;
        this.context = context;
        this.groupTimer = new RfcTimer(context.scheduler(), this::groupTimerExpired);
        this.queries = new LastMemberQueries(context, this);
        this.compatibility = new HostCompatibility(context.scheduler());
    }

    IpAddress group() {
        return group;
    }

    FilterMode filterMode() {
        return mode;
    }

    RfcTimer groupTimer() {
        return groupTimer;
    }

    /** The timer of a source record, or null if the group has no record for it. */
    RfcTimer sourceTimer(IpAddress source) {
        return sources.get(source);
    }

    HostCompatibility compatibility() {
        return compatibility;
    }

    Members members() {
        return members;
    }

    LastMemberQueries queries() {
        return queries;
    }

    /** The Group Compatibility Mode (§7.3.2), never above the version the interface is configured for. */
    int compatibilityMode() {
        return Math.min(context.configuredVersion(), compatibility.hostMode());
    }

    /** A (INCLUDE) or X (EXCLUDE): sources whose timer runs. */
    SourceSet running() {
        List<IpAddress> list = new ArrayList<>();
        sources.forEach((s, t) -> {
            if (t.isRunning()) {
                list.add(s);
            }
        });
        return SourceSet.of(list);
    }

    /** Y in EXCLUDE mode: sources whose timer is zero. */
    SourceSet stopped() {
        List<IpAddress> list = new ArrayList<>();
        sources.forEach((s, t) -> {
            if (!t.isRunning()) {
                list.add(s);
            }
        });
        return SourceSet.of(list);
    }

    /** §6.3: INCLUDE(A) forwards A; EXCLUDE(X,Y) forwards everything but Y. */
    Subscription subscription() {
        return mode == FilterMode.INCLUDE ? Subscription.include(running()) : Subscription.exclude(stopped());
    }

    /** INCLUDE{} with nothing left to do: the owner deletes the record. */
    boolean isEmpty() {
        return mode == FilterMode.INCLUDE && sources.isEmpty();
    }

    /** Applies one record (already translated for the compatibility mode) by the rows of §6.4.1 and §6.4.2. */
    void apply(RecordType type, SourceSet b) {
        Duration gmi = context.settings().groupMembershipInterval();
        if (mode == FilterMode.INCLUDE) {
            SourceSet a = running();
            switch (type) {
                // INCLUDE (A)  IS_IN (B)  INCLUDE (A+B)  (B)=GMI
                // INCLUDE (A)  ALLOW (B)  INCLUDE (A+B)  (B)=GMI
                case MODE_IS_INCLUDE, ALLOW_NEW_SOURCES -> setSourceTimers(b, gmi);
                // INCLUDE (A)  IS_EX (B)  EXCLUDE (A*B,B-A)  (B-A)=0, Delete (A-B), Group Timer=GMI
                case MODE_IS_EXCLUDE -> {
                    switchToExclude(a, b);
                    groupTimer.set(gmi);
                }
                // INCLUDE (A)  BLOCK (B)  INCLUDE (A)  Send Q(G,A*B)
                case BLOCK_OLD_SOURCES -> queries.request(false, a.intersection(b));
                // INCLUDE (A)  TO_EX (B)  EXCLUDE (A*B,B-A)  (B-A)=0, Delete (A-B), Send Q(G,A*B), Group Timer=GMI
                case CHANGE_TO_EXCLUDE_MODE -> {
                    switchToExclude(a, b);
                    groupTimer.set(gmi);
                    queries.request(false, a.intersection(b));
                }
                // INCLUDE (A)  TO_IN (B)  INCLUDE (A+B)  (B)=GMI, Send Q(G,A-B)
                case CHANGE_TO_INCLUDE_MODE -> {
                    setSourceTimers(b, gmi);
                    queries.request(false, a.difference(b));
                }
                default -> throw new IllegalArgumentException("record type " + type);
            }
        } else {
            SourceSet x = running();
            SourceSet y = stopped();
            switch (type) {
                // EXCLUDE (X,Y)  IS_IN (A)  EXCLUDE (X+A,Y-A)  (A)=GMI
                // EXCLUDE (X,Y)  ALLOW (A)  EXCLUDE (X+A,Y-A)  (A)=GMI
                case MODE_IS_INCLUDE, ALLOW_NEW_SOURCES -> setSourceTimers(b, gmi);
                // EXCLUDE (X,Y)  IS_EX (A)  EXCLUDE (A-Y,Y*A)  (A-X-Y)=GMI, Delete (X-A), Delete (Y-A), Group Timer=GMI
                case MODE_IS_EXCLUDE -> {
                    setSourceTimers(b.difference(x).difference(y), gmi);
                    deleteSources(x.difference(b));
                    deleteSources(y.difference(b));
                    groupTimer.set(gmi);
                }
                // EXCLUDE (X,Y)  BLOCK (A)  EXCLUDE (X+(A-Y),Y)  (A-X-Y)=Group Timer, Send Q(G,A-Y)
                case BLOCK_OLD_SOURCES -> {
                    setSourceTimers(b.difference(x).difference(y), groupTimer.remaining());
                    queries.request(false, b.difference(y));
                }
                // EXCLUDE (X,Y)  TO_EX (A)  EXCLUDE (A-Y,Y*A)  (A-X-Y)=Group Timer, Delete (X-A), Delete (Y-A),
                //                                              Send Q(G,A-Y), Group Timer=GMI
                case CHANGE_TO_EXCLUDE_MODE -> {
                    setSourceTimers(b.difference(x).difference(y), groupTimer.remaining());
                    deleteSources(x.difference(b));
                    deleteSources(y.difference(b));
                    queries.request(false, b.difference(y));
                    groupTimer.set(gmi);
                }
                // EXCLUDE (X,Y)  TO_IN (A)  EXCLUDE (X+A,Y-A)  (A)=GMI, Send Q(G,X-A), Send Q(G)
                case CHANGE_TO_INCLUDE_MODE -> {
                    setSourceTimers(b, gmi);
                    queries.request(true, x.difference(b));
                }
                default -> throw new IllegalArgumentException("record type " + type);
            }
        }
    }

    /** §6.6.1: a heard Q(G) with S clear lowers the group timer to LMQT. */
    void lowerGroupTimer(Duration lastMemberQueryTime) {
        groupTimer.lowerTo(lastMemberQueryTime);
    }

    /** §6.6.1: a heard Q(G,A) with S clear lowers the source timers of A to LMQT. */
    void lowerSourceTimers(SourceSet of, Duration lastMemberQueryTime) {
        for (IpAddress source : of) {
            RfcTimer timer = sources.get(source);
            if (timer != null) {
                timer.lowerTo(lastMemberQueryTime);
            }
        }
    }

    /** Cancels every timer: the record is being deleted. */
    void dispose() {
        groupTimer.stop();
        sources.values().forEach(RfcTimer::stop);
        sources.clear();
        queries.cancel();
        compatibility.stop();
        members.clear();
        mode = FilterMode.INCLUDE;
    }

    /** Source records held (A, or X and Y). */
    int sourceCount() {
        return sources.size();
    }

    /** How many of {@code b} have no source record here. */
    int unknownSources(SourceSet b) {
        int n = 0;
        for (IpAddress source : b) {
            if (!sources.containsKey(source)) {
                n++;
            }
        }
        return n;
    }

    /** The source records in address order with their timers (zero for Y). */
    Map<IpAddress, Duration> sourceTimers() {
        Map<IpAddress, Duration> out = new TreeMap<>(IpAddress::compareTo);
        sources.forEach((s, t) -> out.put(s, t.remaining()));
        return out;
    }

    /** INCLUDE(A) to EXCLUDE(A*B, B-A): (B-A)=0, Delete (A-B); A*B keep their timers. */
    private void switchToExclude(SourceSet a, SourceSet b) {
        mode = FilterMode.EXCLUDE;
        deleteSources(a.difference(b));
        for (IpAddress source : b.difference(a)) {
            sources.computeIfAbsent(source, this::newSourceTimer).stop();
        }
    }

    private void setSourceTimers(SourceSet of, Duration value) {
        for (IpAddress source : of) {
            sources.computeIfAbsent(source, this::newSourceTimer).set(value);
        }
    }

    private void deleteSources(SourceSet of) {
        for (IpAddress source : of) {
            RfcTimer timer = sources.remove(source);
            if (timer != null) {
                timer.stop();
            }
            queries.forget(source);
        }
    }

    private RfcTimer newSourceTimer(IpAddress source) {
        return new RfcTimer(context.scheduler(), () -> sourceTimerExpired(source));
    }

    /**
     * §6.3: in INCLUDE mode an expired source stops being forwarded and its record is deleted; in EXCLUDE mode it
     * stays as a record with a zero timer (it moves from X to Y) and is no longer forwarded.
     */
    private void sourceTimerExpired(IpAddress source) {
        if (mode == FilterMode.INCLUDE) {
            deleteSources(SourceSet.of(source));
        }
        context.groupChanged(this);
    }

    /**
     * §6.5: when the group timer expires in EXCLUDE mode, the group switches to INCLUDE with the sources whose timers
     * still run; the sources with zero timers (Y) are deleted. With no source left, the record is deleted.
     */
    private void groupTimerExpired() {
        if (mode == FilterMode.EXCLUDE) {
            deleteSources(stopped());
            mode = FilterMode.INCLUDE;
        }
        context.groupChanged(this);
    }
}
