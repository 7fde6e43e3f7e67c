package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.MulticastListenerQuery;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router side of one downstream interface for one family: IGMP (RFC 9776 §6-7, RFC 2236 for v2, RFC 1112 for v1)
 * or MLD (RFC 9777 §7-8, RFC 2710 for v1), which share their state machines. It queries as the elected querier, keeps
 * the state of every group its hosts report, and tells a {@link MembershipListener} what each group's subscription is
 * (RFC 9776 §6.3).
 *
 * <p>It is fed decoded messages with the source they came from, for the interface they arrived on (never found by
 * source address: IGMP reports from 0.0.0.0 are valid), and emits the queries to send through a {@link QueryOutput}.
 * Versions are generations numbered as IGMP's (see {@link Query}): an MLDv2 router is generation 3. It knows no bytes,
 * sockets or clocks: time comes from the {@link Scheduler}. Loop thread only.
 */
public final class RouterInterface {

    private static final Logger LOG = LoggerFactory.getLogger(RouterInterface.class);

    private final String interfaceName;
    private final IpAddress address;
    private IgmpSettings configured;
    private boolean fastLeave;
    private MembershipLimits limits;
    /** A host past a limit sends a record per report: a few lines, then one per interval; the counters keep all. */
    private final RateLimitedLog overLimit;

    private final Scheduler scheduler;
    private final QueryOutput queries;
    private final MembershipListener listener;
    private final QuerierListener querierListener;
    private final QuerierElection election;
    private final GeneralQueries generalQueries;
    private final Context context = new Context();
    private final Map<IpAddress, GroupState> groups = new TreeMap<>();
    private final Map<IpAddress, Subscription> published = new HashMap<>();
    /** Loop thread only, one slot per {@link RouterCounter}. */
    private final long[] counters = new long[RouterCounter.VALUES.length];

    private final OlderQuerierWarnings olderQueriers;
    /** Takeovers come at most once per forged query, but a flood of them must not flood the log. */
    private final RateLimitedLog takeovers;

    private boolean running;

    /**
     * @param interfaceName the interface, as told to the listener
     * @param address this router's address on the interface (querier election; for MLD its link-local address; the
     *     unspecified address if it has none): its family is the router's
     * @param settings the configured parameters; {@code settings.version()} is the generation of the queries sent
     * @param fastLeave prune a group as soon as its last known member leaves, without last-member queries
     */
    public RouterInterface(
            String interfaceName,
            IpAddress address,
            IgmpSettings settings,
            boolean fastLeave,
            Scheduler scheduler,
            QueryOutput queries,
            MembershipListener listener) {
        this(
                interfaceName,
                address,
                settings,
                fastLeave,
                MembershipLimits.DEFAULTS,
                scheduler,
                queries,
                listener,
                QuerierListener.NONE);
    }

    /** As above, with limits and a listener told when the querier changes. */
    public RouterInterface(
            String interfaceName,
            IpAddress address,
            IgmpSettings settings,
            boolean fastLeave,
            MembershipLimits limits,
            Scheduler scheduler,
            QueryOutput queries,
            MembershipListener listener,
            QuerierListener querierListener) {
        int lowest = address.family() == IpFamily.IPV6 ? 2 : 1;
        if (settings.version() < lowest || settings.version() > 3) {
            throw new IllegalArgumentException(address.family() + " generation " + settings.version());
        }
        this.interfaceName = interfaceName;
        this.address = address;
        this.configured = settings;
        this.fastLeave = fastLeave;
        this.limits = limits;
        this.overLimit = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofSeconds(10), scheduler::nanoTime));
        this.scheduler = scheduler;
        this.queries = queries;
        this.listener = listener;
        this.querierListener = querierListener;
        this.takeovers = new RateLimitedLog(LOG, new RateLimiter(3, Duration.ofMinutes(1), scheduler::nanoTime));
        this.olderQueriers = new OlderQuerierWarnings(LOG, scheduler::nanoTime);
        this.election = new QuerierElection(address, settings, scheduler, new QuerierElection.RoleListener() {
            @Override
            public void becameQuerier() {
                querierListener.querierChanged(interfaceName, address, true);
                generalQueries.resume();
            }

            @Override
            public void becameNonQuerier() {
                generalQueries.stop();
                count(RouterCounter.QUERIER_TAKEOVERS);
                IgmpSettings adopted = election.settings();
                // A takeover silences this LAN's forwarding: the operator must hear of it, forged or not.
                takeovers.warn(interfaceName + ": " + election.querierAddress() + " took over as querier; mcgate"
                        + " stops querying and forwarding to this LAN for up to "
                        + adopted.otherQuerierPresentInterval().toSeconds() + " s after its last query (adopted"
                        + " robustness " + adopted.robustness() + ", query interval "
                        + adopted.queryInterval().toSeconds() + " s)");
                querierListener.querierChanged(interfaceName, election.querierAddress(), false);
            }
        });
        this.generalQueries = new GeneralQueries(context, this::sendGeneralQuery);
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** This router's address on the interface. */
    public IpAddress address() {
        return address;
    }

    /** Starts as querier with the startup queries (RFC 3376 §8.6, §8.7). */
    public void start() {
        if (running) {
            return;
        }
        running = true;
        querierListener.querierChanged(interfaceName, address, true);
        generalQueries.startup();
    }

    /** Cancels every timer and withdraws every group (each is published as {@link Subscription#NONE}). */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        generalQueries.stop();
        election.stop();
        for (GroupState g : new ArrayList<>(groups.values())) {
            delete(g);
        }
    }

    /**
     * A reload changed this interface's parameters: each timer keeps its current deadline and uses the new values
     * when it is next armed (the next general query, group timer or last-member query), as RFC 3376 §8 leaves the
     * timing of a change to the implementation. New limits apply to the next record; groups, sources and hosts already
     * held past a lowered limit are kept until they go. The IGMP version cannot change in place (it decides every group's
     * compatibility mode): the caller starts a new router for that.
     *
     * @throws IllegalArgumentException if {@code settings.version()} differs from the version in use
     */
    public void reconfigure(IgmpSettings settings, boolean newFastLeave, MembershipLimits newLimits) {
        if (settings.version() != configured.version()) {
            throw new IllegalArgumentException(interfaceName + ": " + family().versionName(configured.version())
                    + " -> " + family().versionName(settings.version()) + " needs a new router");
        }
        configured = settings;
        fastLeave = newFastLeave;
        limits = newLimits;
        election.reconfigure(settings);
    }

    public boolean isRunning() {
        return running;
    }

    /** One IGMP message heard on this interface from {@code source} (its IPv4 source address). */
    public void receive(Ip4 source, IgmpMessage message) {
        if (!running) {
            return;
        }
        if (message instanceof MembershipQuery q) {
            queryHeard(source, IgmpQueries.decode(q));
        } else if (message instanceof V1MembershipReport r) {
            olderReport(source, r.group(), 1);
        } else if (message instanceof V2MembershipReport r) {
            olderReport(source, r.group(), 2);
        } else if (message instanceof LeaveGroup l) {
            // RFC 3376 §7.3.2: an IGMPv2 Leave is TO_IN( {} ) (and is ignored in IGMPv1 mode, by the translation).
            record(source, l.group(), RecordType.CHANGE_TO_INCLUDE_MODE, SourceSet.EMPTY);
        } else if (message instanceof V3MembershipReport r) {
            for (GroupRecord rec : r.records()) {
                record(source, rec.group(), rec.type(), rec.sourceSet());
            }
        }
    }

    /**
     * One MLD message heard on this interface from {@code source} (its IPv6 source address). An MLDv1 Report is read
     * as an IGMPv2 one and a Done as a Leave (RFC 9777 §8.3.2); MLDv2 records are IGMPv3's.
     */
    public void receive(Ip6 source, MldMessage message) {
        if (!running) {
            return;
        }
        if (message instanceof MulticastListenerQuery q) {
            queryHeard(source, MldQueries.decode(q));
        } else if (message instanceof MldV1Report r) {
            olderReport(source, r.multicastAddress(), 2);
        } else if (message instanceof MldDone d) {
            record(source, d.multicastAddress(), RecordType.CHANGE_TO_INCLUDE_MODE, SourceSet.EMPTY);
        } else if (message instanceof MldV2Report r) {
            for (MulticastAddressRecord rec : r.records()) {
                record(source, rec.multicastAddress(), rec.type(), SourceSet.of(rec.sources()));
            }
        }
    }

    /** The family this router serves. */
    public IpFamily family() {
        return address.family();
    }

    /** The state now, for status and tests. */
    public RouterSnapshot snapshot() {
        List<RouterSnapshot.Group> list = new ArrayList<>();
        for (GroupState g : groups.values()) {
            list.add(new RouterSnapshot.Group(
                    g.group(),
                    g.filterMode(),
                    g.groupTimer().remaining(),
                    g.sourceTimers(),
                    g.compatibilityMode(),
                    g.compatibility().v1HostPresentRemaining(),
                    g.compatibility().v2HostPresentRemaining(),
                    g.members().count(),
                    g.subscription(),
                    g.queries().isPending()));
        }
        IgmpSettings s = election.settings();
        return new RouterSnapshot(
                interfaceName,
                address,
                configured.version(),
                election.isQuerier(),
                election.querierAddress(),
                election.otherQuerierPresentRemaining(),
                s.robustness(),
                s.queryInterval(),
                list,
                counts());
    }

    /** The §6.3 subscription of a group as last published ({@link Subscription#NONE} if it has no record). */
    public Subscription subscription(IpAddress group) {
        return published.getOrDefault(group, Subscription.NONE);
    }

    // ---- queries heard -------------------------------------------------------------------------------------------

    private void queryHeard(IpAddress source, Query q) {
        if (source.isUnspecified()) {
            // A snooping switch's query: never a querier (§6.6.2 compares addresses), and its timers are not ours.
            count(RouterCounter.ZERO_SOURCE_QUERIES);
            return;
        }
        int queryVersion = q.generation();
        if (queryVersion < configured.version()) {
            // RFC 3376 §7.3.1: "If a router receives an older version query, it MUST log a warning." Counted always,
            // warned about once per recent querier and version (see OlderQuerierWarnings).
            count(queryVersion == 1 ? RouterCounter.V1_QUERIES_HEARD : RouterCounter.V2_QUERIES_HEARD);
            olderQueriers.heard(interfaceName, source, queryVersion, configured.version());
        }
        election.queryHeard(source, q, anyLastMemberQueries());
        if (q.isGeneral()) {
            return;
        }
        GroupState g = groups.get(q.group());
        if (g == null) {
            return;
        }
        // RFC 9776 §6.6.1: a heard query with S clear lowers the timers it asks about to LMQT (RFC 2236 §3 for v2:
        // Last Member Query Count times the query's Max Response Time).
        Duration lmqt = q.maxResponse().multipliedBy(election.settings().lastMemberQueryCount());
        if (q.generation() == 3) {
            if (q.suppressRouterSideProcessing()) {
                return;
            }
            if (q.isGroupAndSourceSpecific()) {
                g.lowerSourceTimers(q.sources(), lmqt);
            } else {
                g.lowerGroupTimer(lmqt);
            }
        } else if (q.generation() == 2) {
            g.lowerGroupTimer(lmqt);
        }
    }

    private boolean anyLastMemberQueries() {
        for (GroupState g : groups.values()) {
            if (g.queries().isPending()) {
                return true;
            }
        }
        return false;
    }

    private void sendGeneralQuery() {
        // Nothing goes out while a winning querier waits for our last-member queries to end.
        if (!election.handoverPending()) {
            queries.send(QueryMessages.general(configured.version(), election.settings()));
        }
    }

    // ---- reports heard -------------------------------------------------------------------------------------------

    /** RFC 3376 §7.3.2: v1 and v2 reports set their Host Present timer and are read as IS_EX( {} ). */
    private void olderReport(IpAddress source, IpAddress group, int hostVersion) {
        if (!acceptable(group, RecordType.MODE_IS_EXCLUDE)) {
            return;
        }
        GroupState g = groups.get(group);
        if (g == null && (g = newGroup(source, group)) == null) {
            return;
        }
        Duration ohpi = election.settings().olderHostPresentInterval();
        if (hostVersion == 1) {
            g.compatibility().v1ReportHeard(ohpi);
        } else {
            g.compatibility().v2ReportHeard(ohpi);
        }
        record(source, group, RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
    }

    /** Every counter, zeros included. */
    private Map<RouterCounter, Long> counts() {
        Map<RouterCounter, Long> out = new java.util.EnumMap<>(RouterCounter.class);
        for (RouterCounter c : RouterCounter.VALUES) {
            out.put(c, counters[c.ordinal()]);
        }
        return out;
    }

    private void record(IpAddress reporter, IpAddress group, RecordType type, SourceSet sources) {
        if (!acceptable(group, type)) {
            return;
        }
        GroupState existing = groups.get(group);
        int mode = existing != null ? existing.compatibilityMode() : configured.version();
        Optional<HostCompatibility.Translated> translated = HostCompatibility.translate(mode, type, sources);
        if (translated.isEmpty()) {
            count(mode == 1 ? RouterCounter.RECORDS_IGNORED_V1_MODE : RouterCounter.RECORDS_IGNORED_V2_MODE);
            return;
        }
        RecordType t = translated.get().type();
        SourceSet b = translated.get().sources();
        boolean leave = t == RecordType.CHANGE_TO_INCLUDE_MODE && b.isEmpty();
        if (existing == null
                && (leave
                        || ((t == RecordType.MODE_IS_INCLUDE || t == RecordType.ALLOW_NEW_SOURCES) && b.isEmpty())
                        || t == RecordType.BLOCK_OLD_SOURCES)) {
            // Every row leaves INCLUDE{} as it is for these: no record is made.
            return;
        }
        if (!withinSourceLimit(reporter, group, existing, t, b)) {
            return;
        }
        GroupState g = existing != null ? existing : newGroup(reporter, group);
        if (g == null) {
            return;
        }
        long now = scheduler.nanoTime();
        if (leave) {
            boolean last = g.members()
                    .leftAndNoneRemain(
                            reporter,
                            now,
                            election.settings().groupMembershipInterval().toNanos());
            if (fastLeave && last) {
                // Fast leave: the last known member left; prune now instead of asking with last-member queries.
                count(RouterCounter.FAST_LEAVES);
                delete(g);
                return;
            }
        } else if (t != RecordType.BLOCK_OLD_SOURCES
                && !g.members()
                        .heard(
                                reporter,
                                now,
                                limits.maxHosts(),
                                election.settings().groupMembershipInterval().toNanos())) {
            // The record still applies: it costs no memory, and the group only loses fast leave for a while.
            count(RouterCounter.HOSTS_OVER_LIMIT);
            overLimit.warn(interfaceName + ": host " + reporter + " not tracked for group " + group
                    + ": the group has max-hosts " + limits.maxHosts() + " (fast leave waits for queries)");
        }
        g.apply(t, b);
        changed(g);
    }

    /** A record for a group that has none: made unless the interface holds max-groups already (then counted). */
    private GroupState newGroup(IpAddress reporter, IpAddress group) {
        if (groups.size() >= limits.maxGroups()) {
            count(RouterCounter.GROUPS_OVER_LIMIT);
            overLimit.warn(interfaceName + ": record from " + reporter + " for group " + group + " dropped: max-groups "
                    + limits.maxGroups() + " reached");
            return null;
        }
        GroupState g = new GroupState(group, context);
        groups.put(group, g);
        return g;
    }

    /**
     * False (counted) if the record could take the group past max-sources: IS_EX and TO_EX leave at most their own
     * sources, the other types may add every source of theirs the group does not have yet.
     */
    private boolean withinSourceLimit(IpAddress reporter, IpAddress group, GroupState g, RecordType t, SourceSet b) {
        int held = g == null ? 0 : g.sourceCount();
        int unknown = g == null ? b.size() : g.unknownSources(b);
        boolean include = g == null || g.filterMode() == FilterMode.INCLUDE;
        int atMost = switch (t) {
            case MODE_IS_EXCLUDE, CHANGE_TO_EXCLUDE_MODE -> b.size();
            case BLOCK_OLD_SOURCES -> include ? held : held + unknown;
            default -> held + unknown;
        };
        // A record that adds nothing passes even past a limit lowered by a reload.
        if (atMost <= limits.maxSources() || atMost <= held) {
            return true;
        }
        count(RouterCounter.SOURCES_OVER_LIMIT);
        overLimit.warn(interfaceName + ": " + t + " record from " + reporter + " for group " + group
                + " dropped: it would hold more than max-sources " + limits.maxSources());
        return false;
    }

    /**
     * Groups that never get a record: not multicast, link-local (224.0.0.0/24, ff01::/16, ff02::/16), or an EXCLUDE
     * join of SSM (232/8, ff3x::/32).
     */
    private boolean acceptable(IpAddress group, RecordType type) {
        if (!group.isMulticast() || group.isLinkLocalMulticast()) {
            count(RouterCounter.NON_ROUTABLE_REPORTS);
            return false;
        }
        // RFC 4604 §2.2.4: in the SSM range a router ignores EXCLUDE-mode records (and v1/v2 reports, read as IS_EX{}).
        if (group.isSourceSpecific()
                && (type == RecordType.MODE_IS_EXCLUDE || type == RecordType.CHANGE_TO_EXCLUDE_MODE)) {
            count(RouterCounter.SSM_EXCLUDE_RECORDS);
            return false;
        }
        return true;
    }

    // ---- publishing --------------------------------------------------------------------------------------------

    /** After any change: deletes a record back at INCLUDE{}, and publishes a subscription that changed. */
    private void changed(GroupState g) {
        if (g.isEmpty()) {
            delete(g);
        } else {
            publish(g.group(), g.subscription());
        }
    }

    private void delete(GroupState g) {
        g.dispose();
        groups.remove(g.group());
        publish(g.group(), Subscription.NONE);
        // Only a pending handover waits for the last-member queries; without one, skip the scan of every group
        // (it made deleting n groups, as on stop or when they all expire together, cost n squared).
        if (election.handoverPending() && !anyLastMemberQueries()) {
            election.lastMemberQueriesDone();
        }
    }

    private void publish(IpAddress group, Subscription now) {
        Subscription before = published.getOrDefault(group, Subscription.NONE);
        if (before.equals(now)) {
            return;
        }
        if (now.isNone()) {
            published.remove(group);
        } else {
            published.put(group, now);
        }
        listener.subscriptionChanged(interfaceName, group, now);
    }

    private void count(RouterCounter counter) {
        counters[counter.ordinal()]++;
    }

    /** What the per-group parts see of this interface. */
    private final class Context implements RouterContext {
        @Override
        public Scheduler scheduler() {
            return scheduler;
        }

        @Override
        public IgmpSettings settings() {
            return election.settings();
        }

        @Override
        public int configuredVersion() {
            return configured.version();
        }

        @Override
        public boolean isQuerier() {
            return running && election.isQuerier();
        }

        @Override
        public void send(Query query) {
            queries.send(query);
        }

        @Override
        public void groupChanged(GroupState group) {
            if (groups.get(group.group()) == group) {
                changed(group);
            }
        }

        @Override
        public void lastMemberQueriesDone() {
            if (election.handoverPending() && !anyLastMemberQueries()) {
                election.lastMemberQueriesDone();
            }
        }
    }
}
