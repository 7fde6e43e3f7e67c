package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.RandomSource;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends IGMPv3 / MLDv2 State-Change Reports (RFC 3376 §5.1, RFC 9777 §6.1): at once on every change, then again until each group's
 * {@link RetransmissionState} is spent.
 *
 * <p>Retransmissions of all groups share one interface timer, as Linux does: each time it fires (after a delay chosen
 * at random in (0, Unsolicited Report Interval], §5.1), one report carries the next records of every group with
 * pending state, so a burst of changes is repeated in a few reports, not one per group. A further change of a group
 * sends that group's report immediately (§5.1 "each such additional change triggers the immediate transmission").
 * Loop thread only.
 */
final class StateChangeReporter {

    /** One group's change. */
    record Change(IpAddress group, Subscription old, Subscription now) {}

    private final Scheduler scheduler;
    private final RandomSource random;
    private final Consumer<List<HostRecord>> send;
    private final Map<IpAddress, RetransmissionState> pending = new TreeMap<>();
    private Timer timer;

    StateChangeReporter(Scheduler scheduler, RandomSource random, Consumer<List<HostRecord>> send) {
        this.scheduler = scheduler;
        this.random = random;
        this.send = send;
    }

    /**
     * Records changes and sends one report with their records now; schedules the retransmissions.
     *
     * @param stateOf the current state of a group (the new one, already stored)
     */
    void changed(
            Collection<Change> changes,
            int robustness,
            Duration unsolicitedReportInterval,
            Function<IpAddress, Subscription> stateOf) {
        List<HostRecord> records = new ArrayList<>();
        for (Change c : changes) {
            RetransmissionState state = pending.computeIfAbsent(c.group(), g -> new RetransmissionState());
            state.changed(c.old(), c.now(), robustness);
            records.addAll(state.nextRecords(c.group(), c.now()));
            if (!state.isPending()) {
                pending.remove(c.group());
            }
        }
        if (!records.isEmpty()) {
            send.accept(records);
        }
        scheduleRetransmission(unsolicitedReportInterval, stateOf);
    }

    /** The records still due for a group, as one last report would carry them (for stop); forgets the group. */
    List<HostRecord> drain(IpAddress group, Subscription current) {
        RetransmissionState state = pending.remove(group);
        return state == null ? List.of() : state.nextRecords(group, current);
    }

    /** Groups with retransmissions still due. */
    List<IpAddress> pendingGroups() {
        return List.copyOf(pending.keySet());
    }

    /** For tests and status: the state of one group, or null. */
    RetransmissionState state(IpAddress group) {
        return pending.get(group);
    }

    /** Forgets every pending retransmission (compatibility mode change, stop). */
    void cancelAll() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        pending.clear();
    }

    private void scheduleRetransmission(Duration interval, Function<IpAddress, Subscription> stateOf) {
        if (pending.isEmpty() || (timer != null && timer.isPending())) {
            return;
        }
        timer = scheduler.schedule(randomDelayUpTo(random, interval), () -> retransmit(interval, stateOf));
    }

    private void retransmit(Duration interval, Function<IpAddress, Subscription> stateOf) {
        timer = null;
        List<HostRecord> records = new ArrayList<>();
        for (Iterator<Map.Entry<IpAddress, RetransmissionState>> it =
                        pending.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<IpAddress, RetransmissionState> e = it.next();
            records.addAll(e.getValue().nextRecords(e.getKey(), stateOf.apply(e.getKey())));
            if (!e.getValue().isPending()) {
                it.remove();
            }
        }
        if (!records.isEmpty()) {
            send.accept(records);
        }
        scheduleRetransmission(interval, stateOf);
    }

    /** A delay in (0, max] at millisecond resolution: never 0, so a report is never sent twice in one instant. */
    static Duration randomDelayUpTo(RandomSource random, Duration max) {
        long ms = max.toMillis();
        return ms <= 1 ? Duration.ofMillis(1) : Duration.ofMillis(1 + random.nextLong(ms));
    }
}
