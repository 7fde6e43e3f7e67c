package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.time.RandomSource;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The host side in IGMPv1 / IGMPv2 / MLDv1 compatibility mode (RFC 2236 §3, RFC 1112 appendix I, RFC 2710 §4): one report timer per group
 * ("Delaying Member" state) that serves both the repetitions of the unsolicited report sent on a join and the delayed
 * answers to queries; a Leave Group (MLDv1: a Done) on leaving in v2 (always: a proxy is treated as the last reporter), nothing in v1.
 * No report suppression: mcgate answers even when another host on the upstream link reported the group, which only
 * costs a packet and keeps the "last reporter" rule trivially true. Loop thread only.
 */
final class OlderVersionHost {

    private final class Member {
        Timer timer;
        int unsolicitedLeft;
    }

    private final Scheduler scheduler;
    private final RandomSource random;
    private final HostOutput send;
    private final Supplier<CompatibilityMode> mode;
    private final Map<IpAddress, Member> members = new TreeMap<>();

    OlderVersionHost(Scheduler scheduler, RandomSource random, HostOutput send, Supplier<CompatibilityMode> mode) {
        this.scheduler = scheduler;
        this.random = random;
        this.send = send;
        this.mode = mode;
    }

    /**
     * "When a host joins a multicast group, it should immediately transmit an unsolicited ... Membership Report for
     * that group ... it is recommended that it be repeated once or twice after short delays [Unsolicited Report
     * Interval]": sent now and repeated Robustness - 1 times, each after a random delay in (0, interval].
     */
    void joined(IpAddress group, int robustness, Duration unsolicitedReportInterval) {
        Member m = members.computeIfAbsent(group, g -> new Member());
        send.olderReport(group, mode.get());
        m.unsolicitedLeft = robustness - 1;
        cancel(m);
        if (m.unsolicitedLeft > 0) {
            m.timer = scheduler.schedule(
                    StateChangeReporter.randomDelayUpTo(random, unsolicitedReportInterval),
                    () -> expired(group, unsolicitedReportInterval));
        }
    }

    /** The group is no longer wanted: stop its timer; v2 sends a Leave Group (v1 has none). */
    void left(IpAddress group) {
        Member m = members.remove(group);
        if (m != null) {
            cancel(m);
        }
        if (mode.get() == CompatibilityMode.IGMPV2) {
            send.leave(group);
        }
    }

    /**
     * A query for {@code groups} (all member groups for a General Query): each group's timer is set to a random value
     * in (0, Max Resp Time], or kept if it is already running and due sooner than that (RFC 2236 §3: "reset to the
     * random value only if the requested Max Response Time is less than the remaining value of the running timer").
     */
    void query(Collection<IpAddress> groups, Duration maxResponseTime, Duration unsolicitedReportInterval) {
        for (IpAddress group : groups) {
            Member m = members.computeIfAbsent(group, g -> new Member());
            if (m.timer != null
                    && m.timer.isPending()
                    && scheduler.remaining(m.timer).compareTo(maxResponseTime) <= 0) {
                continue;
            }
            cancel(m);
            m.timer = scheduler.schedule(
                    StateChangeReporter.randomDelayUpTo(random, maxResponseTime),
                    () -> expired(group, unsolicitedReportInterval));
        }
    }

    /** Forgets every timer (compatibility mode change, stop); leaves nothing. */
    void cancelAll() {
        members.values().forEach(this::cancel);
        members.clear();
    }

    boolean timerPending(IpAddress group) {
        Member m = members.get(group);
        return m != null && m.timer != null && m.timer.isPending();
    }

    private void expired(IpAddress group, Duration unsolicitedReportInterval) {
        Member m = members.get(group);
        if (m == null) {
            return;
        }
        send.olderReport(group, mode.get());
        if (m.unsolicitedLeft > 0) {
            m.unsolicitedLeft--;
        }
        if (m.unsolicitedLeft > 0) {
            m.timer = scheduler.schedule(
                    StateChangeReporter.randomDelayUpTo(random, unsolicitedReportInterval),
                    () -> expired(group, unsolicitedReportInterval));
        } else {
            m.timer = null;
        }
    }

    private void cancel(Member m) {
        if (m.timer != null) {
            m.timer.cancel();
            m.timer = null;
        }
    }
}
