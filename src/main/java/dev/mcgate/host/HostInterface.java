package dev.mcgate.host;

import dev.mcgate.igmp.IgmpQueries;
import dev.mcgate.igmp.MldQueries;
import dev.mcgate.igmp.Query;
import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.MldSender;
import dev.mcgate.packet.MulticastListenerQuery;
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
 * The host side of one family of one upstream interface (RFC 3376 §5 and §7.2.1, RFC 2236 §3; RFC 9777 §6 and §8.2,
 * RFC 2710 §4; as RFC 4605 §4.1 asks of a proxy): holds the reception state mcgate advertises per group, reports its
 * changes, answers the upstream querier and follows it down to IGMPv2 or v1, or to MLDv1.
 *
 * <p>One state machine for both families: IGMP and MLD differ only in the messages, so the family is a
 * {@link HostOutput} adapter out (the IGMP constructor, {@link #mld}) and a query translation in ({@link IgmpQueries},
 * {@link MldQueries}, both to the neutral {@link Query}). MLDv1 is IGMPv2's generation, MLDv2 IGMPv3's.
 *
 * <p>Never reported: link-local scope groups (224.0.0.0/24; ff02::1 and every group of scope 0, 1 or 2, RFC 9777
 * §6), EXCLUDE mode in the SSM ranges 232/8 and ff3x::/32 (treated as no state, counted, logged a few times a minute
 * at most), and any SSM group while the querier speaks IGMPv1/v2 or MLDv1 (an any-source join there is what SSM
 * forbids).
 *
 * <p>Loop thread only; messages go out synchronously through the sender.
 */
public final class HostInterface {

    private static final Logger LOG = LoggerFactory.getLogger(HostInterface.class);

    private final String name;
    private final Scheduler scheduler;
    /** Joins and leaves logged one by one up to a budget a second, then summed up (a flood joined 50 000 a second). */
    private final ChangeLogBudget logBudget = new ChangeLogBudget();

    private final RandomSource random;
    private final HostOutput output;
    private final GroupMacFilter macFilter;
    private final StateChangeReporter reporter;
    private final PendingResponses responses;
    private final OlderVersionHost older;
    private final QuerierPresence presence;
    private final Map<IpAddress, Subscription> state = new TreeMap<>();
    /** Groups not reported because of SSM: counted each, a few lines then one a minute (hosts pick the groups). */
    private final RateLimitedLog ssmLines;
    /** Compatibility mode changes follow queries on the upstream LAN, which any host there can forge. */
    private final RateLimitedLog modeLines;

    private HostSettings settings;
    private int robustness;
    private Duration querierQueryInterval;
    private CompatibilityMode mode;
    private IpAddress lastQuerier;
    private boolean stopped;
    private long stateChangeReports;
    private long olderReports;
    private long leaves;
    private long queries;
    private long notReported;

    /** An IGMP host side (the IPv4 family of an upstream). */
    public HostInterface(
            String name,
            HostSettings settings,
            Scheduler scheduler,
            RandomSource random,
            IgmpSender sender,
            LinkFilter linkFilter) {
        this(name, settings, scheduler, random, new IgmpHostOutput(sender), linkFilter);
    }

    /**
     * An MLD host side (the IPv6 family of an upstream), its MLDv2 reports split to fit {@code mtu} (at least 1280,
     * the IPv6 minimum, which is also the safe choice when the link MTU is not known).
     */
    public static HostInterface mld(
            String name,
            HostSettings settings,
            Scheduler scheduler,
            RandomSource random,
            MldSender sender,
            int mtu,
            LinkFilter linkFilter) {
        return new HostInterface(name, settings, scheduler, random, new MldHostOutput(sender, mtu), linkFilter);
    }

    HostInterface(
            String name,
            HostSettings settings,
            Scheduler scheduler,
            RandomSource random,
            HostOutput output,
            LinkFilter linkFilter) {
        this.name = name;
        this.scheduler = scheduler;
        this.ssmLines = new RateLimitedLog(LOG, new RateLimiter(3, Duration.ofMinutes(1), scheduler::nanoTime));
        this.modeLines = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofMinutes(1), scheduler::nanoTime));
        this.settings = settings;
        this.random = random;
        this.output = new CountingOutput(output);
        this.macFilter = new GroupMacFilter(linkFilter);
        this.robustness = settings.robustness();
        this.querierQueryInterval = settings.queryInterval();
        this.reporter = new StateChangeReporter(scheduler, random, this.output::report);
        this.responses = new PendingResponses(scheduler, new PendingResponses.Due() {
            @Override
            public void generalResponse() {
                answerGeneralQuery();
            }

            @Override
            public void groupResponse(IpAddress group, SourceSet sources) {
                answerGroupQuery(group, sources);
            }
        });
        this.older = new OlderVersionHost(scheduler, random, this.output, this::mode);
        this.presence = new QuerierPresence(scheduler, m -> modeMayHaveChanged());
        this.mode = CompatibilityMode.IGMPV3.atMost(highestMode());
    }

    public String name() {
        return name;
    }

    /** IPv4 (IGMP) or IPv6 (MLD). */
    public IpFamily family() {
        return output.family();
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
    public Subscription state(IpAddress group) {
        return state.getOrDefault(group, Subscription.NONE);
    }

    /** Every group with reception state, in address order (an unmodifiable copy). */
    public Map<IpAddress, Subscription> states() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(state));
    }

    /** Sets what is wanted of one group; see {@link #setDesired(Map)}. */
    public void setDesired(IpAddress group, Subscription desired) {
        setDesired(Map.of(group, desired));
    }

    /**
     * Sets what is wanted of several groups. Each group whose state changes is reported at once, all of them in one
     * report (IGMPv3 / MLDv2: the State-Change Records of RFC 3376 §5.1 / RFC 9777 §6.1, then retransmitted; older
     * versions: a report on join, a leave on leave). Groups must be of this side's family. The group's MAC is added to the link filter before its first report and removed after its leave.
     */
    public void setDesired(Map<? extends IpAddress, Subscription> desired) {
        if (stopped) {
            return;
        }
        List<StateChangeReporter.Change> changes = new ArrayList<>();
        for (Map.Entry<IpAddress, Subscription> e : new TreeMap<IpAddress, Subscription>(desired).entrySet()) {
            IpAddress group = e.getKey();
            if (!group.isMulticast() || group.family() != family()) {
                throw new IllegalArgumentException(group + " is not a multicast group of " + family());
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
    public void replaceDesired(Map<? extends IpAddress, Subscription> all) {
        Map<IpAddress, Subscription> changes = new LinkedHashMap<>();
        for (IpAddress group : state.keySet()) {
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
        receive(source, IgmpQueries.decode(query));
    }

    /**
     * A Multicast Listener Query heard on the upstream (RFC 9777 §6.3, §8.2; RFC 2710 §4): an MLDv1 query is IGMPv2's
     * generation, so an MLDv1 General Query puts this side in MLDv1 mode until the Older Version Querier Present
     * timeout; otherwise as {@link #receiveQuery(Ip4, MembershipQuery)}.
     */
    public void receiveQuery(Ip6 source, MulticastListenerQuery query) {
        receive(source, MldQueries.decode(query));
    }

    private void receive(IpAddress source, Query query) {
        if (source.family() != family()) {
            throw new IllegalArgumentException("a query from " + source + " on the " + family() + " host side");
        }
        if (stopped) {
            return;
        }
        queries++;
        lastQuerier = source;
        Duration maxResponseTime = query.maxResponse();
        if (query.generation() == 3) {
            // RFC 3376 §4.1.6 / §4.1.7 (RFC 9777 §5.1.8 / §5.1.9): adopt the querier's Robustness Variable and Query
            // Interval when given, capped so that a forged query cannot hold this side in an older version for days
            // (QuerierAdoption).
            if (query.robustness() != 0) {
                robustness = settings.adoption().robustness(query.robustness(), settings.robustness());
            }
            if (query.queryIntervalSeconds() != 0) {
                querierQueryInterval =
                        settings.adoption().queryInterval(query.queryIntervalSeconds(), settings.queryInterval());
            }
        } else if (query.generation() == 1) {
            presence.heardV1Query(olderVersionQuerierPresentTimeout(maxResponseTime));
        } else if (query.isGeneral() || family() == IpFamily.IPV6) {
            // IGMPv2: only a General Query sets the timer (RFC 3376 §7.2.1); MLDv1: any query does (RFC 3810 §9.12,
            // "when an MLDv1 query is received"; Linux does the same).
            presence.heardV2GeneralQuery(olderVersionQuerierPresentTimeout(maxResponseTime));
        }
        if (mode == CompatibilityMode.IGMPV3) {
            scheduleV3Answer(query, maxResponseTime);
        } else {
            List<IpAddress> groups = new ArrayList<>();
            for (IpAddress group : state.keySet()) {
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
     * Leaves every group upstream at once, synchronously (IGMPv3 / MLDv2: one report with the §5.1 records for "no
     * state", i.e. TO_IN{} for EXCLUDE groups and BLOCK(A) for INCLUDE(A) groups, plus what retransmissions were still
     * due; IGMPv2: a Leave Group per group, MLDv1 a Done; IGMPv1: nothing to send), then clears the link filter. Sent once, not repeated: the
     * process is exiting. Nothing is sent afterwards.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        int left = state.size();
        if (mode == CompatibilityMode.IGMPV3) {
            List<HostRecord> records = new ArrayList<>();
            for (Map.Entry<IpAddress, Subscription> e : state.entrySet()) {
                reporter.drain(e.getKey(), Subscription.NONE);
                records.addAll(StateChange.records(e.getKey(), e.getValue(), Subscription.NONE));
            }
            for (IpAddress group : reporter.pendingGroups()) {
                records.addAll(reporter.drain(group, Subscription.NONE));
            }
            if (!records.isEmpty()) {
                output.report(records);
            }
        } else if (mode == CompatibilityMode.IGMPV2) {
            for (IpAddress group : state.keySet()) {
                if (!group.isSourceSpecific()) {
                    output.leave(group);
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
                family(),
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
    public Set<IpAddress> linkFilterGroups() {
        return macFilter.groups();
    }

    /** What of a desired state may be reported (see the class comment). */
    private Subscription reportable(IpAddress group, Subscription desired) {
        if (desired.isNone()) {
            return desired;
        }
        if (group.isLinkLocalMulticast()) {
            notReported++;
            return Subscription.NONE;
        }
        if (group.isSourceSpecific() && desired.mode() == FilterMode.EXCLUDE) {
            notReported++;
            ssmLines.warn("upstream " + name + ": not asking for " + group + " in EXCLUDE mode: " + ssmRange()
                    + " is source-specific (RFC 4607) and takes INCLUDE joins only");
            return Subscription.NONE;
        }
        return desired;
    }

    private void reportInOlderVersion(StateChangeReporter.Change c) {
        if (c.group().isSourceSpecific()) {
            notReported++;
            ssmLines.warn("upstream " + name + ": not reporting " + c.group() + ": the querier speaks "
                    + mode.versionName(family()) + ", which cannot join a source-specific group");
            return;
        }
        if (c.old().isNone()) {
            older.joined(c.group(), robustness, settings.olderUnsolicitedReportInterval());
        } else if (c.now().isNone()) {
            older.left(c.group());
        }
        // A change between two non-empty states is invisible in IGMPv1/v2: the group stays joined.
    }

    private String ssmRange() {
        return family() == IpFamily.IPV4 ? "232/8" : "ff3x::/32";
    }

    private void scheduleV3Answer(Query query, Duration maxResponseTime) {
        // "provided the system has state to report"
        if (state.isEmpty() || (!query.isGeneral() && !state.containsKey(query.group()))) {
            return;
        }
        responses.query(query.group(), query.sources(), delayWithin(maxResponseTime));
    }

    /** A delay chosen at random in (0, max), at millisecond resolution (RFC 3376 §5.2, RFC 9777 §6.3). */
    private Duration delayWithin(Duration max) {
        long ms = max.toMillis();
        return ms <= 1 ? Duration.ofMillis(ms) : Duration.ofMillis(1 + random.nextLong(ms - 1));
    }

    private void answerGeneralQuery() {
        // One Current-State Record per group with reception state, packed into one report (split by the sender).
        List<HostRecord> records = new ArrayList<>();
        for (Map.Entry<IpAddress, Subscription> e : state.entrySet()) {
            CurrentState.record(e.getKey(), e.getValue()).ifPresent(records::add);
        }
        if (!records.isEmpty()) {
            output.report(records);
        }
    }

    private void answerGroupQuery(IpAddress group, SourceSet sources) {
        Subscription current = state(group);
        Optional<HostRecord> record = sources.isEmpty()
                ? CurrentState.record(group, current)
                : CurrentState.sourceRecord(group, current, sources);
        record.ifPresent(r -> output.report(List.of(r)));
    }

    private void modeMayHaveChanged() {
        CompatibilityMode now = presence.mode().atMost(highestMode());
        if (now == mode) {
            return;
        }
        CompatibilityMode was = mode;
        mode = now;
        // "Whenever a host changes its compatibility mode, it cancels all its pending responses and retransmission
        // timers."
        cancelTimers();
        if (now.version() < was.version()) {
            modeLines.info("upstream " + name + ": querier " + lastQuerier + " speaks " + now.versionName(family())
                    + "; reporting in " + now.versionName(family()) + " for the next "
                    + presence.remaining().toSeconds() + " s");
        } else {
            modeLines.info(
                    "upstream " + name + ": no older querier heard for a while; back to " + now.versionName(family()));
        }
    }

    private void cancelTimers() {
        reporter.cancelAll();
        responses.cancelAll();
        older.cancelAll();
    }

    /** The newest mode configured; MLD has no IGMPv1 generation, so MLDv1 (2) is its oldest. */
    private CompatibilityMode highestMode() {
        int highest = settings.highestVersion();
        return CompatibilityMode.ofVersion(family() == IpFamily.IPV6 ? Math.max(2, highest) : highest);
    }

    /** Counts and logs what the state machines send, then hands it to the family's adapter. */
    private final class CountingOutput implements HostOutput {
        private final HostOutput out;

        CountingOutput(HostOutput out) {
            this.out = out;
        }

        @Override
        public IpFamily family() {
            return out.family();
        }

        @Override
        public void report(List<HostRecord> records) {
            stateChangeReports++;
            LOG.debug("upstream {}: sending {} report {}", name, mode.versionName(out.family()), records);
            out.report(records);
        }

        @Override
        public void olderReport(IpAddress group, CompatibilityMode version) {
            olderReports++;
            LOG.debug("upstream {}: sending {} report for {}", name, version.versionName(out.family()), group);
            out.olderReport(group, version);
        }

        @Override
        public void leave(IpAddress group) {
            leaves++;
            LOG.debug("upstream {}: sending a leave of {}", name, group);
            out.leave(group);
        }
    }
}
