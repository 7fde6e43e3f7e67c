package dev.mcgate.host;

import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.RandomSource;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of one upstream interface (RFC 3376 §5 and §7.2.1, RFC 2236 §3, as RFC 4605 §4.1 asks of a proxy):
 * holds the reception state mcgate advertises per group, reports its changes, answers the upstream querier and
 * follows it down to IGMPv2 or v1.
 *
 * <p>Never reported: groups in 224.0.0.0/24, EXCLUDE mode in 232/8 (treated as no state, counted, logged a few times
 * a minute at most), and any 232/8 group while the querier speaks v1/v2 (an any-source join there is what SSM
 * forbids).
 *
 * <p>Loop thread only; messages go out synchronously through the {@link IgmpSender}.
 */
public final class HostInterface {

    private static final Logger LOG = LoggerFactory.getLogger(HostInterface.class);

    private final String name;
    private final Scheduler scheduler;
    /** Joins and leaves logged one by one up to a budget a second, then summed up (a flood joined 50 000 a second). */
    private final ChangeLogBudget logBudget = new ChangeLogBudget();

    private final RandomSource random;
    private final IgmpSender sender;
    private final GroupMacFilter macFilter;
    private final StateChangeReporter reporter;
    private final PendingResponses responses;
    private final OlderVersionHost older;
    private final QuerierPresence presence;
    private final Map<Ip4, Subscription> state = new TreeMap<>();
    /** Groups not reported because of SSM: counted each, a few lines then one a minute (hosts pick the groups). */
    private final RateLimitedLog ssmLines;
    /** Compatibility mode changes follow queries on the upstream LAN, which any host there can forge. */
    private final RateLimitedLog modeLines;

    private HostSettings settings;
    private int robustness;
    private Duration querierQueryInterval;
    private CompatibilityMode mode;
    private Ip4 lastQuerier;
    private boolean stopped;
    private long stateChangeReports;
    private long olderReports;
    private long leaves;
    private long queries;
    private long notReported;

    public HostInterface(
            String name,
            HostSettings settings,
            Scheduler scheduler,
            RandomSource random,
            IgmpSender sender,
            LinkFilter linkFilter) {
        this.name = name;
        this.scheduler = scheduler;
        this.ssmLines = new RateLimitedLog(LOG, new RateLimiter(3, Duration.ofMinutes(1), scheduler::nanoTime));
        this.modeLines = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofMinutes(1), scheduler::nanoTime));
        this.settings = settings;
        this.random = random;
        this.sender = sender;
        this.macFilter = new GroupMacFilter(linkFilter);
        this.robustness = settings.robustness();
        this.querierQueryInterval = settings.queryInterval();
        this.reporter = new StateChangeReporter(scheduler, random, records -> send(new V3MembershipReport(records)));
        this.responses = new PendingResponses(scheduler, new PendingResponses.Due() {
            @Override
            public void generalResponse() {
                answerGeneralQuery();
            }

            @Override
            public void groupResponse(Ip4 group, SourceSet sources) {
                answerGroupQuery(group, sources);
            }
        });
        this.older = new OlderVersionHost(scheduler, random, this::send, this::mode);
        this.presence = new QuerierPresence(scheduler, m -> modeMayHaveChanged());
        this.mode = CompatibilityMode.IGMPV3.atMost(CompatibilityMode.ofVersion(settings.highestVersion()));
    }

    public String name() {
        return name;
    }

    /**
     * Whether a join or leave gets its INFO line; past the budget it is counted, and one line sums up the second when
     * it ends.
     */
    private boolean logLine(boolean joined) {
        boolean hadSuppressed = logBudget.hasSuppressed();
        if (logBudget.admit(scheduler.nanoTime(), joined, !joined)) {
            return true;
        }
        if (!hadSuppressed) {
            scheduler.schedule(
                    Duration.ofNanos(logBudget.windowEnd() - scheduler.nanoTime()),
                    () -> LOG.info("upstream {}: {}", name, logBudget.summarize(scheduler.nanoTime())));
        }
        return false;
    }

    /** The Host Compatibility Mode now (the querier's, capped by the configured highest version). */
    public CompatibilityMode mode() {
        return mode;
    }

    /** The state advertised for a group; NONE if none. */
    public Subscription state(Ip4 group) {
        return state.getOrDefault(group, Subscription.NONE);
    }

    /** Every group with reception state, in address order (an unmodifiable copy). */
    public Map<Ip4, Subscription> states() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(state));
    }

    /** Sets what is wanted of one group; see {@link #setDesired(Map)}. */
    public void setDesired(Ip4 group, Subscription desired) {
        setDesired(Map.of(group, desired));
    }

    /**
     * Sets what is wanted of several groups. Each group whose state changes is reported at once, all of them in one
     * report (IGMPv3: the State-Change Records of RFC 3376 §5.1, then retransmitted; v1/v2: a report on join, a leave
     * on leave). The group's MAC is added to the link filter before its first report and removed after its leave.
     */
    public void setDesired(Map<Ip4, Subscription> desired) {
        if (stopped) {
            return;
        }
        List<StateChangeReporter.Change> changes = new ArrayList<>();
        for (Map.Entry<Ip4, Subscription> e : new TreeMap<>(desired).entrySet()) {
            Ip4 group = e.getKey();
            if (!group.isMulticast()) {
                throw new IllegalArgumentException(group + " is not a multicast group");
            }
            Subscription now = reportable(group, e.getValue());
            Subscription old = state(group);
            if (old.equals(now)) {
                continue;
            }
            if (now.isNone()) {
                state.remove(group);
            } else {
                state.put(group, now);
            }
            if (old.isNone()) {
                macFilter.joinGroup(group);
                if (logLine(true)) {
                    LOG.info("upstream {}: joining {} {}", name, group, now);
                } else {
                    LOG.debug("upstream {}: joining {} {}", name, group, now);
                }
            } else if (now.isNone()) {
                if (logLine(false)) {
                    LOG.info("upstream {}: leaving {} (was {})", name, group, old);
                } else {
                    LOG.debug("upstream {}: leaving {} (was {})", name, group, old);
                }
            } else {
                LOG.debug("upstream {}: {} now {} (was {})", name, group, now, old);
            }
            changes.add(new StateChangeReporter.Change(group, old, now));
        }
        if (changes.isEmpty()) {
            return;
        }
        if (mode == CompatibilityMode.IGMPV3) {
            reporter.changed(changes, robustness, settings.unsolicitedReportInterval(), this::state);
        } else {
            for (StateChangeReporter.Change c : changes) {
                reportInOlderVersion(c);
            }
        }
        for (StateChangeReporter.Change c : changes) {
            if (c.now().isNone()) {
                macFilter.leaveGroup(c.group());
            }
        }
    }

    /** Makes the desired state exactly {@code all}: every group not in it is left. */
    public void replaceDesired(Map<Ip4, Subscription> all) {
        Map<Ip4, Subscription> changes = new LinkedHashMap<>();
        for (Ip4 group : state.keySet()) {
            changes.put(group, Subscription.NONE);
        }
        changes.putAll(all);
        setDesired(changes);
    }

    /** New settings after a reload: used for changes from now on; QRV / QQI heard from a querier still win. */
    public void updateSettings(HostSettings newSettings) {
        if (newSettings.robustness() != settings.robustness() && robustness == settings.robustness()) {
            robustness = newSettings.robustness();
        }
        if (querierQueryInterval.equals(settings.queryInterval())) {
            querierQueryInterval = newSettings.queryInterval();
        }
        settings = newSettings;
        modeMayHaveChanged();
    }

    /**
     * A Membership Query heard on the upstream (RFC 3376 §5.2, §7.2.1; RFC 2236 §3): older versions switch the
     * compatibility mode first, then the query is answered after a random delay within its Max Resp Time.
     */
    public void receiveQuery(Ip4 source, MembershipQuery query) {
        if (stopped) {
            return;
        }
        queries++;
        lastQuerier = source;
        Duration maxResponseTime = query.maxResponseDuration();
        if (query instanceof V3Query v3) {
            // RFC 3376 §4.1.6 / §4.1.7: adopt the querier's Robustness Variable and Query Interval when given, capped
            // so that a forged query cannot hold this side in an older version for days (QuerierAdoption).
            if (v3.querierRobustnessVariable() != 0) {
                robustness = settings.adoption().robustness(v3.querierRobustnessVariable(), settings.robustness());
            }
            if (v3.querierQueryInterval() != 0) {
                querierQueryInterval =
                        settings.adoption().queryInterval(v3.querierQueryInterval(), settings.queryInterval());
            }
        } else if (query instanceof V1Query) {
            presence.heardV1Query(olderVersionQuerierPresentTimeout(maxResponseTime));
        } else if (query instanceof V2Query && query.isGeneral()) {
            presence.heardV2GeneralQuery(olderVersionQuerierPresentTimeout(maxResponseTime));
        }
        if (mode == CompatibilityMode.IGMPV3) {
            scheduleV3Answer(query, maxResponseTime);
        } else {
            List<Ip4> groups = new ArrayList<>();
            for (Ip4 group : state.keySet()) {
                if ((query.isGeneral() || group.equals(query.group())) && !group.isSourceSpecific()) {
                    groups.add(group);
                }
            }
            older.query(groups, maxResponseTime, settings.olderUnsolicitedReportInterval());
        }
    }

    /**
     * RFC 3376 §8.12: Older Version Querier Present Timeout = Robustness Variable × Query Interval + Query Response
     * Interval, with the querier's values: the last QRV and QQIC heard (else the configured ones) and the Max Resp
     * Time of the query that starts the timer (a v1 query counts as 10 s).
     */
    public Duration olderVersionQuerierPresentTimeout(Duration queryResponseInterval) {
        return querierQueryInterval.multipliedBy(robustness).plus(queryResponseInterval);
    }

    /**
     * Leaves every group upstream at once, synchronously (IGMPv3: one report with the §5.1 records for "no state",
     * i.e. TO_IN{} for EXCLUDE groups and BLOCK(A) for INCLUDE(A) groups, plus what retransmissions were still due;
     * v2: a Leave Group per group; v1: nothing to send), then clears the link filter. Sent once, not repeated: the
     * process is exiting. Nothing is sent afterwards.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        int left = state.size();
        if (mode == CompatibilityMode.IGMPV3) {
            List<GroupRecord> records = new ArrayList<>();
            for (Map.Entry<Ip4, Subscription> e : state.entrySet()) {
                reporter.drain(e.getKey(), Subscription.NONE);
                records.addAll(StateChange.records(e.getKey(), e.getValue(), Subscription.NONE));
            }
            for (Ip4 group : reporter.pendingGroups()) {
                records.addAll(reporter.drain(group, Subscription.NONE));
            }
            if (!records.isEmpty()) {
                send(new V3MembershipReport(records));
            }
        } else if (mode == CompatibilityMode.IGMPV2) {
            for (Ip4 group : state.keySet()) {
                if (!group.isSourceSpecific()) {
                    send(new LeaveGroup(group));
                }
            }
        }
        stopped = true;
        cancelTimers();
        presence.cancel();
        macFilter.leaveAll();
        state.clear();
        if (left > 0) {
            LOG.info("upstream {}: left {} group(s) on stop", name, left);
        }
    }

    /** The interface is gone: forget everything, send nothing, leave the link filter alone (it went with the link). */
    public void discard() {
        stopped = true;
        cancelTimers();
        presence.cancel();
        state.clear();
    }

    public boolean isStopped() {
        return stopped;
    }

    public HostStatus status() {
        return new HostStatus(
                name,
                mode,
                robustness,
                state,
                Optional.ofNullable(lastQuerier),
                stateChangeReports,
                olderReports,
                leaves,
                queries,
                notReported,
                macFilter.linkFailures());
    }

    /** The groups whose MAC is in the link filter (for tests and status). */
    public Set<Ip4> linkFilterGroups() {
        return macFilter.groups();
    }

    /** What of a desired state may be reported (see the class comment). */
    private Subscription reportable(Ip4 group, Subscription desired) {
        if (desired.isNone()) {
            return desired;
        }
        if (group.isLinkLocalMulticast()) {
            notReported++;
            return Subscription.NONE;
        }
        if (group.isSourceSpecific() && desired.mode() == FilterMode.EXCLUDE) {
            notReported++;
            ssmLines.warn("upstream " + name + ": not asking for " + group + " in EXCLUDE mode: 232/8 is"
                    + " source-specific (RFC 4607) and takes INCLUDE joins only");
            return Subscription.NONE;
        }
        return desired;
    }

    private void reportInOlderVersion(StateChangeReporter.Change c) {
        if (c.group().isSourceSpecific()) {
            notReported++;
            ssmLines.warn("upstream " + name + ": not reporting " + c.group() + ": the querier speaks IGMPv"
                    + mode.version() + ", which cannot join a source-specific group");
            return;
        }
        if (c.old().isNone()) {
            older.joined(c.group(), robustness, settings.olderUnsolicitedReportInterval());
        } else if (c.now().isNone()) {
            older.left(c.group());
        }
        // A change between two non-empty states is invisible in IGMPv1/v2: the group stays joined.
    }

    private void scheduleV3Answer(MembershipQuery query, Duration maxResponseTime) {
        // "provided the system has state to report"
        if (state.isEmpty() || (!query.isGeneral() && !state.containsKey(query.group()))) {
            return;
        }
        SourceSet sources = query instanceof V3Query v3 ? v3.sourceSet() : SourceSet.EMPTY;
        responses.query(query.group(), sources, delayWithin(maxResponseTime));
    }

    /** A delay chosen at random in (0, max), at millisecond resolution (RFC 3376 §5.2). */
    private Duration delayWithin(Duration max) {
        long ms = max.toMillis();
        return ms <= 1 ? Duration.ofMillis(ms) : Duration.ofMillis(1 + random.nextLong(ms - 1));
    }

    private void answerGeneralQuery() {
        // One Current-State Record per group with reception state, packed into one report (split by the sender).
        List<GroupRecord> records = new ArrayList<>();
        for (Map.Entry<Ip4, Subscription> e : state.entrySet()) {
            CurrentState.record(e.getKey(), e.getValue()).ifPresent(records::add);
        }
        if (!records.isEmpty()) {
            send(new V3MembershipReport(records));
        }
    }

    private void answerGroupQuery(Ip4 group, SourceSet sources) {
        Subscription current = state(group);
        Optional<GroupRecord> record = sources.isEmpty()
                ? CurrentState.record(group, current)
                : CurrentState.sourceRecord(group, current, sources);
        record.ifPresent(r -> send(new V3MembershipReport(List.of(r))));
    }

    private void modeMayHaveChanged() {
        CompatibilityMode now = presence.mode().atMost(CompatibilityMode.ofVersion(settings.highestVersion()));
        if (now == mode) {
            return;
        }
        CompatibilityMode was = mode;
        mode = now;
        // "Whenever a host changes its compatibility mode, it cancels all its pending responses and retransmission
        // timers."
        cancelTimers();
        if (now.version() < was.version()) {
            modeLines.info("upstream " + name + ": querier " + lastQuerier + " speaks IGMPv" + now.version()
                    + "; reporting in IGMPv" + now.version() + " for the next "
                    + presence.remaining().toSeconds() + " s");
        } else {
            modeLines.info("upstream " + name + ": no older querier heard for a while; back to IGMPv" + now.version());
        }
    }

    private void cancelTimers() {
        reporter.cancelAll();
        responses.cancelAll();
        older.cancelAll();
    }

    private void send(IgmpMessage message) {
        if (message instanceof V3MembershipReport) {
            stateChangeReports++;
        } else if (message instanceof LeaveGroup) {
            leaves++;
        } else {
            olderReports++;
        }
        LOG.debug("upstream {}: sending {}", name, message);
        sender.send(message);
    }
}
