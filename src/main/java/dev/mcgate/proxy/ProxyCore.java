package dev.mcgate.proxy;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.host.HostInterface;
import dev.mcgate.host.HostSettings;
import dev.mcgate.host.HostStatus;
import dev.mcgate.host.LinkFilter;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.MldSender;
import dev.mcgate.packet.MulticastListenerQuery;
import dev.mcgate.time.RandomSource;
import dev.mcgate.time.Scheduler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IGMP / MLD proxy (RFC 4605): downstream memberships in, upstream reports out, a {@link MembershipSnapshot} for
 * the forwarding plane after every change.
 *
 * <p>An upstream has one host side per family it runs: IPv4 groups are reported with IGMP, IPv6 groups with MLD; a
 * group of a family the upstream does not run is not asked for there.
 *
 * <p>Each group is asked for on exactly one upstream, {@link McgateConfig#upstreamFor}, so that several upstreams
 * still form a tree. An upstream that is configured but not open (not yet there, or gone) asks for nothing; when it is
 * added, everything it serves is reported at once.
 *
 * <p>Loop thread only: every method, including {@link #stop()}, runs on the thread that owns the scheduler. The
 * snapshot consumer is called on that thread and should only publish (for example into an AtomicReference).
 */
public final class ProxyCore implements MembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyCore.class);

    /** The IPv6 minimum link MTU (RFC 8200 §5): MLDv2 reports of this size cross any IPv6 link. */
    public static final int MIN_IPV6_MTU = 1280;

    private final Scheduler scheduler;
    private final RandomSource random;
    private final Consumer<MembershipSnapshot> publisher;
    private final MembershipDatabase database;
    /** Per open upstream, its host side of each family it runs. */
    private final Map<String, EnumMap<IpFamily, HostInterface>> upstreams = new TreeMap<>();

    private final Map<String, InterfaceFilter> filters = new HashMap<>();
    private final Map<String, EnumMap<InterfaceFilter.Verdict, Long>> filtered = new TreeMap<>();
    private final Set<String> warned = new HashSet<>();
    private McgateConfig config;
    private MembershipSnapshot snapshot = MembershipSnapshot.EMPTY;
    /** A publication is scheduled: changes made before it runs go into the same snapshot. */
    private boolean publishPending;
    /** Each merged group's entry as last published; kept current group by group so a publication copies, not recomputes. */
    private final TreeMap<IpAddress, MembershipSnapshot.GroupEntry> entries = new TreeMap<>();
    /** Groups whose entry must be computed again at the next publication. */
    private final Set<IpAddress> staleEntries = new HashSet<>();
    /** Every entry must be computed again (a new configuration changes filters and upstream assignment). */
    private boolean allEntriesStale;

    private long publications;
    private long ignoredEvents;
    private boolean started;
    private boolean stopped;

    public ProxyCore(
            McgateConfig config, Scheduler scheduler, RandomSource random, Consumer<MembershipSnapshot> publisher) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = scheduler;
        this.random = random;
        this.publisher = publisher;
        this.database = new MembershipDatabase(this::filterFor);
    }

    /** Publishes the first (empty) snapshot. Call once, before events flow. */
    public void start() {
        if (!started) {
            started = true;
            publications++;
            publisher.accept(snapshot);
        }
    }

    /**
     * An upstream's port is open (at start, or when the interface appears), IPv4 only: from now on its IPv4 groups are
     * reported with IGMP through {@code sender}, all those already wanted in one report now. Replaces a previous one
     * of the same name silently.
     */
    public void addUpstream(String name, IgmpSender sender, LinkFilter linkFilter) {
        addUpstream(name, Optional.of(sender), Optional.empty(), MIN_IPV6_MTU, linkFilter);
    }

    /**
     * An upstream's port is open with the families it runs: IPv4 groups are reported with IGMP through {@code igmp},
     * IPv6 groups with MLD (from the link-local address the sender uses) through {@code mld}, its MLDv2 reports split
     * to fit {@code ipv6Mtu} (use {@link #MIN_IPV6_MTU} when unknown). What each family already wants is reported at
     * once. Replaces a previous one of the same name silently (both families).
     */
    public void addUpstream(
            String name, Optional<IgmpSender> igmp, Optional<MldSender> mld, int ipv6Mtu, LinkFilter linkFilter) {
        if (stopped) {
            return;
        }
        InterfaceConfig ic = config.interfaceFor(name);
        if (ic.role() != Role.UPSTREAM) {
            throw new IllegalArgumentException(
                    name + " is not an upstream interface (role " + ic.role().keyword() + ")");
        }
        if (igmp.isEmpty() && mld.isEmpty()) {
            throw new IllegalArgumentException(name + ": an upstream runs IPv4, IPv6 or both");
        }
        removeUpstream(name);
        EnumMap<IpFamily, HostInterface> sides = new EnumMap<>(IpFamily.class);
        igmp.ifPresent(sender -> sides.put(
                IpFamily.IPV4,
                new HostInterface(name, HostSettings.from(ic.igmp()), scheduler, random, sender, linkFilter)));
        mld.ifPresent(sender -> sides.put(
                IpFamily.IPV6,
                HostInterface.mld(name, HostSettings.from(ic.mld()), scheduler, random, sender, ipv6Mtu, linkFilter)));
        upstreams.put(name, sides);
        Map<IpAddress, Subscription> requested = requestedOn(name);
        sides.values().forEach(host -> host.replaceDesired(ofFamily(requested, host.family())));
    }

    /** The upstream interface is gone: its state is dropped without sending (there is no link to send on). */
    public void removeUpstream(String name) {
        EnumMap<IpFamily, HostInterface> sides = upstreams.remove(name);
        if (sides != null) {
            sides.values().forEach(HostInterface::discard);
        }
    }

    /** From a downstream's router side: what the interface now wants of the group (NONE: nothing). */
    @Override
    public void subscriptionChanged(String interfaceName, IpAddress group, Subscription now) {
        if (stopped) {
            return;
        }
        if (config.interfaceFor(interfaceName).role() != Role.DOWNSTREAM) {
            if (now.isNone() && !database.interfaces().contains(interfaceName)) {
                // The withdrawals of a router stopped after a reload took its interface away: reconfigure() has
                // already dropped its memberships, so there is nothing left to withdraw and nothing to warn about.
                return;
            }
            ignoredEvents++;
            warnOnce(
                    "role:" + interfaceName,
                    "ignoring memberships from {}: it is not a downstream interface",
                    interfaceName);
            return;
        }
        note(interfaceName, group, now);
        if (database.update(interfaceName, group, now)) {
            staleEntries.add(group);
            requestUpstream(group);
            publishSoon();
        }
    }

    /** A downstream interface is gone (or closed): every membership it had counts as NONE. */
    public void removeDownstream(String interfaceName) {
        if (stopped) {
            return;
        }
        Set<IpAddress> groups = database.removeInterface(interfaceName);
        if (!groups.isEmpty()) {
            staleEntries.addAll(groups);
            groups.forEach(this::requestUpstream);
            publishSoon();
        }
    }

    /** A Membership Query heard on an upstream (decoded, checksum and Router Alert checked by the caller). */
    public void onUpstreamQuery(String upstreamName, Ip4 source, MembershipQuery query) {
        HostInterface host = hostSide(upstreamName, IpFamily.IPV4);
        if (host != null && !stopped) {
            host.receiveQuery(source, query);
        }
    }

    /**
     * A Multicast Listener Query heard on an upstream (decoded, checksum, hop limit, Router Alert and link-local source
     * checked by the caller); ignored if the upstream runs no IPv6.
     */
    public void onUpstreamQuery(String upstreamName, Ip6 source, MulticastListenerQuery query) {
        HostInterface host = hostSide(upstreamName, IpFamily.IPV6);
        if (host != null && !stopped) {
            host.receiveQuery(source, query);
        }
    }

    /**
     * A new configuration (reload): filters, group-to-upstream assignment and upstream settings are applied to what is
     * known; upstreams that lost their role leave their groups (as on stop) and are dropped; the others report the
     * differences.
     */
    public void reconfigure(McgateConfig newConfig) {
        if (stopped) {
            return;
        }
        this.config = Objects.requireNonNull(newConfig, "config");
        filters.clear();
        warned.clear();
        for (String name : List.copyOf(database.interfaces())) {
            if (newConfig.interfaceFor(name).role() != Role.DOWNSTREAM) {
                database.removeInterface(name);
            }
        }
        database.refilterAll(this::filterFor);
        allEntriesStale = true;
        for (String name : List.copyOf(upstreams.keySet())) {
            InterfaceConfig ic = newConfig.interfaceFor(name);
            Map<IpFamily, HostInterface> sides = upstreams.get(name);
            if (ic.role() != Role.UPSTREAM) {
                sides.values().forEach(HostInterface::stop);
                upstreams.remove(name);
                continue;
            }
            Map<IpAddress, Subscription> requested = requestedOn(name);
            for (HostInterface host : sides.values()) {
                host.updateSettings(HostSettings.from(ic.settings(host.family())));
                host.replaceDesired(ofFamily(requested, host.family()));
            }
        }
        publish();
    }

    /**
     * Leaves every group of both families on every upstream, synchronously through the senders, then ignores
     * everything. Call on the
     * loop thread before closing the ports.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        upstreams.values().forEach(sides -> sides.values().forEach(HostInterface::stop));
    }

    /** The current snapshot: a publication still pending is made now, so this always reflects every change. */
    public MembershipSnapshot snapshot() {
        if (publishPending) {
            publish();
        }
        return snapshot;
    }

    /** How many snapshots have been published (the empty one at start included). */
    public long publications() {
        return publications;
    }

    /** The IPv4 (IGMP) host side of an upstream. */
    public Optional<HostStatus> upstreamStatus(String name) {
        return upstreamStatus(name, IpFamily.IPV4);
    }

    public Optional<HostStatus> upstreamStatus(String name, IpFamily family) {
        return Optional.ofNullable(hostSide(name, family)).map(HostInterface::status);
    }

    /** The IPv4 (IGMP) host sides, one per upstream. */
    public List<HostStatus> upstreamStatuses() {
        return upstreamStatuses(IpFamily.IPV4);
    }

    /** Every host side: the IGMP ones, then the MLD ones (status and the counters, labelled by protocol). */
    public List<HostStatus> allUpstreamStatuses() {
        List<HostStatus> out = new ArrayList<>(upstreamStatuses(IpFamily.IPV4));
        out.addAll(upstreamStatuses(IpFamily.IPV6));
        return out;
    }

    /** The host sides of one family, by upstream name. */
    public List<HostStatus> upstreamStatuses(IpFamily family) {
        List<HostStatus> out = new ArrayList<>();
        upstreams.values().forEach(sides -> {
            HostInterface h = sides.get(family);
            if (h != null) {
                out.add(h.status());
            }
        });
        return out;
    }

    /** Per downstream interface, how many membership events each filter rule turned into nothing. */
    public Map<String, Map<InterfaceFilter.Verdict, Long>> filterCounters() {
        Map<String, Map<InterfaceFilter.Verdict, Long>> out = new TreeMap<>();
        filtered.forEach((k, v) -> out.put(k, Map.copyOf(v)));
        return out;
    }

    /**
     * Every {@link ProxyCounter}: the filter verdicts of every downstream (zeros included) and of any interface
     * counted under one before a reload took it away. Loop thread.
     */
    public void recordInto(CounterRecorder out) {
        Set<String> names = new TreeSet<>(filtered.keySet());
        config.withRole(Role.DOWNSTREAM).forEach(ic -> names.add(ic.name()));
        for (String name : names) {
            Map<InterfaceFilter.Verdict, Long> counts =
                    filtered.getOrDefault(name, new EnumMap<>(InterfaceFilter.Verdict.class));
            for (InterfaceFilter.Verdict v : InterfaceFilter.Verdict.values()) {
                if (v != InterfaceFilter.Verdict.PASSED) {
                    out.record(
                            ProxyCounter.FILTERED,
                            counts.getOrDefault(v, 0L),
                            name,
                            v.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
            }
        }
        out.record(ProxyCounter.IGNORED_EVENTS, ignoredEvents);
        out.record(ProxyCounter.PUBLICATIONS, publications);
    }

    /** Events from interfaces that are not downstream. */
    public long ignoredEvents() {
        return ignoredEvents;
    }

    /** The name of the upstream a group is asked for on, if the configuration has one. */
    public Optional<String> upstreamNameFor(IpAddress group) {
        return config.upstreamFor(group).map(InterfaceConfig::name);
    }

    /** What is asked for a group upstream: the merge, after the upstream's own filters. */
    private Subscription requested(IpAddress group, Optional<String> upstream) {
        Subscription merged = database.merged(group);
        return upstream.isEmpty()
                ? Subscription.NONE
                : filterFor(upstream.get()).apply(group, merged);
    }

    private Map<IpAddress, Subscription> requestedOn(String upstreamName) {
        Map<IpAddress, Subscription> out = new TreeMap<>();
        for (IpAddress group : database.mergedGroups().keySet()) {
            Optional<String> upstream = upstreamNameFor(group);
            if (upstream.isPresent() && upstream.get().equals(upstreamName)) {
                out.put(group, requested(group, upstream));
            }
        }
        return out;
    }

    /** The part of a request the host side of one family reports. */
    private static Map<IpAddress, Subscription> ofFamily(Map<IpAddress, Subscription> requested, IpFamily family) {
        Map<IpAddress, Subscription> out = new TreeMap<>();
        requested.forEach((group, s) -> {
            if (group.family() == family) {
                out.put(group, s);
            }
        });
        return out;
    }

    private HostInterface hostSide(String upstreamName, IpFamily family) {
        Map<IpFamily, HostInterface> sides = upstreams.get(upstreamName);
        return sides == null ? null : sides.get(family);
    }

    private void requestUpstream(IpAddress group) {
        Optional<String> upstream = upstreamNameFor(group);
        if (upstream.isEmpty()) {
            warnOnce("no-upstream", "no upstream interface is configured: {} is not asked for", group);
            return;
        }
        HostInterface host = hostSide(upstream.get(), group.family());
        if (host != null) {
            host.setDesired(group, requested(group, upstream));
        }
    }

    /**
     * Coalesces publication: the first change marks the snapshot stale and schedules one publication as soon as
     * possible, that is after the task running now and the events already taken from the inbox in this turn of the
     * loop (at most a few hundred, a few hundred microseconds). A burst of reports thus costs one snapshot and one
     * forwarding table instead of one per group, which made the cost quadratic in the number of groups. Upstream
     * reports are not delayed: {@link #requestUpstream} has already told the host side.
     */
    private void publishSoon() {
        if (!publishPending) {
            publishPending = true;
            scheduler.schedule(java.time.Duration.ZERO, () -> {
                if (publishPending) {
                    publish();
                }
            });
        }
    }

    private void publish() {
        publishPending = false;
        publications++;
        Map<String, Map<IpAddress, Subscription>> downstreams = new TreeMap<>();
        for (String name : database.interfaces()) {
            downstreams.put(name, database.filtered(name));
        }
        if (allEntriesStale) {
            allEntriesStale = false;
            staleEntries.clear();
            entries.clear();
            database.mergedGroups().keySet().forEach(this::refreshEntry);
        } else {
            staleEntries.forEach(this::refreshEntry);
            staleEntries.clear();
        }
        TreeMap<IpAddress, MembershipSnapshot.GroupEntry> groups = new TreeMap<>(entries);
        // The record's constructor makes its own sorted, unmodifiable copies: hand it the maps as they are.
        snapshot = new MembershipSnapshot(snapshot.version() + 1, toSorted(downstreams), groups);
        publisher.accept(snapshot);
    }

    private void refreshEntry(IpAddress group) {
        Subscription merged = database.mergedGroups().get(group);
        if (merged == null) {
            entries.remove(group);
            return;
        }
        Optional<String> upstream = upstreamNameFor(group);
        entries.put(group, new MembershipSnapshot.GroupEntry(merged, upstream, requested(group, upstream)));
    }

    private static java.util.SortedMap<String, java.util.SortedMap<IpAddress, Subscription>> toSorted(
            Map<String, Map<IpAddress, Subscription>> in) {
        TreeMap<String, java.util.SortedMap<IpAddress, Subscription>> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(
                k, v instanceof java.util.SortedMap<IpAddress, Subscription> sorted ? sorted : new TreeMap<>(v)));
        return out;
    }

    private InterfaceFilter filterFor(String interfaceName) {
        return filters.computeIfAbsent(interfaceName, n -> InterfaceFilter.of(config.interfaceFor(n)));
    }

    /** Counts (and logs once) what the filters do to a membership event. */
    private void note(String interfaceName, IpAddress group, Subscription now) {
        if (now.isNone()) {
            return;
        }
        InterfaceFilter filter = filterFor(interfaceName);
        InterfaceFilter.Verdict verdict = filter.verdict(group, now);
        if (verdict != InterfaceFilter.Verdict.PASSED) {
            filtered.computeIfAbsent(interfaceName, n -> new EnumMap<>(InterfaceFilter.Verdict.class))
                    .merge(verdict, 1L, Long::sum);
        }
        switch (verdict) {
            case LINK_LOCAL ->
                LOG.debug("{}: {} is link-local (224.0.0.0/24), never asked for upstream", interfaceName, group);
            case GROUP_DENIED ->
                warnOnce(
                        "deny:" + interfaceName,
                        "{}: group filter denies {} (further denials on " + "this interface are counted, not logged)",
                        interfaceName,
                        group);
            case SCOPE_BOUNDARY ->
                warnOnce(
                        "scope:" + interfaceName,
                        "{}: {} is inside a scope boundary of the "
                                + "interface (further ones are counted, not logged)",
                        interfaceName,
                        group);
            case SSM_EXCLUDE ->
                warnOnce(
                        // Once per interface, not per group: hosts choose the groups, and 232/8 holds 16 million.
                        "ssm:" + interfaceName,
                        "{}: ignoring an EXCLUDE-mode membership of {}: 232/8 is source-specific (RFC 4607), only"
                                + " INCLUDE joins count (further ones on this interface are counted, not logged)",
                        interfaceName,
                        group);
            case PASSED -> {
                if (!filter.isExact(group, now)) {
                    warnOnce(
                            "inexact:" + interfaceName,
                            "{}: an any-source (EXCLUDE) membership of {} cannot carry "
                                    + "this interface's source filter upstream; denied sources may be received upstream and "
                                    + "are dropped by the forwarding plane",
                            interfaceName,
                            group);
                }
            }
            default -> {}
        }
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warned.add(key)) {
            LOG.warn(format, args);
        }
    }
}
