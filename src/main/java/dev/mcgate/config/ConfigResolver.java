package dev.mcgate.config;

import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a {@link ConfigDraft} into a {@link McgateConfig}: fills in inherited and RFC 3376 default values, checks the
 * rules that involve more than one value, and the rules between interfaces.
 *
 * <p>Conflicting roles, as checked here: an interface named twice (whatever the roles; upstream and downstream at
 * once is the obvious case), no upstream at all, a group range claimed by two upstreams (each group has exactly one
 * upstream), upstream group ranges on an interface that is not upstream, and altnets of two downstreams that overlap
 * (a source address would be local to two downstreams, so the RPF check could not pick one).
 */
final class ConfigResolver {

    /** IGMPv2's Max Resp Time is one byte of tenths of a second (RFC 2236 §2.2). */
    static final Duration MAX_V2_RESPONSE_TIME = Duration.ofMillis(25_500);

    private final Problems problems;
    private final ConfigDraft.Settings nothing = new ConfigDraft.Settings();

    ConfigResolver(Problems problems) {
        this.problems = problems;
    }

    /** The configuration, or null if there were errors (they are in the {@link Problems}). */
    McgateConfig resolve(ConfigDraft draft) {
        GlobalConfig global = new GlobalConfig(
                value(draft.controlSocket, GlobalConfig.DEFAULT_CONTROL_SOCKET),
                value(draft.logLevel, LogLevel.INFO),
                value(draft.unlistedRole, Role.DISABLED),
                value(draft.packetIo, PacketIoEngine.PCAP),
                java.util.Optional.ofNullable(draft.user).map(Sourced::value),
                java.util.Optional.ofNullable(draft.metricsListen).map(Sourced::value),
                HttpRelayStatements.resolve(draft.http, problems),
                value(draft.xdpMode, XdpMode.AUTO));
        InterfaceDefaults defaults = defaults(draft.defaults);

        Map<String, ConfigDraft.Interface> byName = new LinkedHashMap<>();
        List<InterfaceConfig> interfaces = new ArrayList<>();
        boolean rolesKnown = true;
        for (ConfigDraft.Interface i : draft.interfaces) {
            ConfigDraft.Interface first = byName.putIfAbsent(i.name, i);
            if (first != null) {
                duplicate(first, i);
                continue;
            }
            if (i.role == null) {
                problems.error(i.line, "interface " + i.name + " has no role (upstream, downstream or disabled)");
                rolesKnown = false;
                continue;
            }
            interfaces.add(resolve(i, draft.defaults));
        }

        List<TunnelConfig> tunnels = new TunnelResolver(problems, defaults).resolve(draft.tunnels, byName);
        boolean tunnelUpstream = tunnels.stream().anyMatch(t -> t.role() == Role.UPSTREAM);
        boolean tunnelDownstream = tunnels.stream().anyMatch(t -> t.role() == Role.DOWNSTREAM);
        if (draft.interfaces.isEmpty() && draft.tunnels.isEmpty()) {
            problems.error(draft.lastLine, "no interface is configured: mcgate needs an upstream and downstreams");
        } else if (rolesKnown && !tunnelUpstream && interfaces.stream().noneMatch(i -> i.role() == Role.UPSTREAM)) {
            problems.error(
                    draft.interfaces.isEmpty() ? draft.tunnels.get(0).line : draft.interfaces.get(0).line,
                    "no upstream interface: at least one interface needs role upstream");
        } else if (rolesKnown
                && global.unlistedRole() != Role.DOWNSTREAM
                && !tunnelDownstream
                && global.httpRelay().isEmpty()
                // the Kafka publisher is a downstream of its own (relay:kafka)
                && (draft.kafka == null || draft.kafka.publish.isEmpty())
                && interfaces.stream().noneMatch(i -> i.role() == Role.DOWNSTREAM)) {
            problems.warn(
                    draft.interfaces.isEmpty() ? draft.tunnels.get(0).line : draft.interfaces.get(0).line,
                    "no downstream interface: nothing will be forwarded");
        }
        upstreamRangesDisjoint(byName);
        downstreamAltnetsDisjoint(byName);
        java.util.Optional<KafkaRelayConfig> kafka =
                java.util.Optional.ofNullable(draft.kafka).map(k -> new KafkaResolver(problems).resolve(k));
        return problems.hasErrors() ? null : new McgateConfig(global, defaults, interfaces, tunnels, kafka);
    }

    private void duplicate(ConfigDraft.Interface first, ConfigDraft.Interface again) {
        String message = "interface " + again.name + " is already defined at line " + first.line;
        if (first.role != null && again.role != null && first.role.value() != again.role.value()) {
            message += " as " + first.role.value().keyword() + "; it cannot also be "
                    + again.role.value().keyword();
        }
        problems.error(again.line, message);
    }

    private InterfaceDefaults defaults(ConfigDraft.Settings d) {
        Set<IpFamily> families = families(d, nothing, "the defaults block");
        familiesLeftOut(d, families, "the defaults block");
        return new InterfaceDefaults(
                igmp(d, nothing, ""),
                mld(d, nothing, ""),
                families,
                value(d.ttlThreshold, 1),
                value(d.fastLeave, false),
                groupFilter(d, nothing),
                sourceFilter(d, nothing),
                list(d.boundaries, nothing.boundaries, List.of()),
                value(d.repairUdpChecksum, false),
                value(d.captureBuffer, CaptureBuffer.AUTO),
                limits(d, nothing));
    }

    private InterfaceConfig resolve(ConfigDraft.Interface i, ConfigDraft.Settings inherited) {
        ConfigDraft.Settings own = i.settings;
        Role role = i.role.value();
        if (role != Role.UPSTREAM && !i.upstreamGroups.isEmpty()) {
            problems.error(
                    i.upstreamGroups.get(0).line(),
                    "upstream-groups is only allowed on an upstream interface (" + i.name + " is " + role.keyword()
                            + ")");
        }
        Set<IpFamily> families = families(own, inherited, "interface " + i.name);
        familiesLeftOut(own, families, "interface " + i.name);
        return new InterfaceConfig(
                i.name,
                role,
                igmp(own, inherited, " on interface " + i.name),
                mld(own, inherited, " on interface " + i.name),
                families,
                value(pick(own.ttlThreshold, inherited.ttlThreshold), 1),
                value(pick(own.fastLeave, inherited.fastLeave), false),
                i.altnets.stream().map(Sourced::value).toList(),
                groupFilter(own, inherited),
                sourceFilter(own, inherited),
                list(own.boundaries, inherited.boundaries, List.of()),
                i.upstreamGroups.stream().map(Sourced::value).toList(),
                value(pick(own.repairUdpChecksum, inherited.repairUdpChecksum), false),
                value(pick(own.captureBuffer, inherited.captureBuffer), CaptureBuffer.AUTO),
                limits(own, inherited));
    }

    /** The limits: written here, else inherited, else {@link MembershipLimits#DEFAULTS}. */
    private static MembershipLimits limits(ConfigDraft.Settings own, ConfigDraft.Settings inherited) {
        MembershipLimits d = MembershipLimits.DEFAULTS;
        return new MembershipLimits(
                value(pick(own.maxGroups, inherited.maxGroups), d.maxGroups()),
                value(pick(own.maxSources, inherited.maxSources), d.maxSources()),
                value(pick(own.maxHosts, inherited.maxHosts), d.maxHosts()),
                value(pick(own.igmpRate, inherited.igmpRate), d.igmpRate()));
    }

    /**
     * Where a setting of one block comes from: this block, else the inherited one. For MLD, a {@code mld-*} setting
     * is looked up first (here, then inherited) and only then the shared one that IGMP uses (here, then inherited):
     * the IPv6 setting is the more specific, wherever it is written.
     */
    private record Layers(ConfigDraft.Settings own, ConfigDraft.Settings inherited, boolean mld) {

        <T> Sourced<T> pick(
                Function<ConfigDraft.Settings, Sourced<T>> shared, Function<ConfigDraft.Settings, Sourced<T>> ipv6) {
            if (mld && ipv6.apply(own) != null) {
                return ipv6.apply(own);
            }
            if (mld && ipv6.apply(inherited) != null) {
                return ipv6.apply(inherited);
            }
            return shared.apply(own) != null ? shared.apply(own) : shared.apply(inherited);
        }

        /** Whether a picked value is an MLD-only one (from either block). */
        <T> boolean mldOnly(Sourced<T> picked, Function<ConfigDraft.Settings, Sourced<T>> ipv6) {
            return mld && picked != null && (picked == ipv6.apply(own) || picked == ipv6.apply(inherited));
        }

        /** The picked value if this block wrote it (errors are reported where a value is written), else null. */
        <T> Sourced<T> here(
                Sourced<T> picked,
                Function<ConfigDraft.Settings, Sourced<T>> shared,
                Function<ConfigDraft.Settings, Sourced<T>> ipv6) {
            return picked != null && (picked == shared.apply(own) || (mld && picked == ipv6.apply(own)))
                    ? picked
                    : null;
        }
    }

    /** The IGMP settings: see {@link #timers}. */
    private IgmpSettings igmp(ConfigDraft.Settings own, ConfigDraft.Settings inherited, String where) {
        return timers(new Layers(own, inherited, false), where);
    }

    /**
     * The MLD settings: {@code mld-version} (default MLDv2), each timer from its {@code mld-*} setting, else shared
     * with IGMP (see {@link Layers}); derived defaults follow the MLD values. Limits and fast leave are shared.
     */
    private IgmpSettings mld(ConfigDraft.Settings own, ConfigDraft.Settings inherited, String where) {
        return timers(new Layers(own, inherited, true), where);
    }

    /**
     * IGMP or MLD settings: written here, else inherited, else the RFC 3376 default (RFC 9777's are the same). The
     * counts default to the effective robustness and the startup query interval to a quarter of the effective query
     * interval (RFC 3376 §8.6-8.9), so an interface that only changes its query interval also gets a matching startup
     * query interval.
     */
    private IgmpSettings timers(Layers l, String where) {
        Sourced<Integer> versionAt = l.pick(s -> s.igmpVersion, s -> s.mldVersion);
        if (l.mld() && !l.mldOnly(versionAt, s -> s.mldVersion)) {
            versionAt = null; // igmp-version says nothing about MLD
        }
        int version = value(versionAt, 3);
        Sourced<Integer> robustnessAt = l.pick(s -> s.robustness, s -> s.mldRobustness);
        Sourced<Duration> queryIntervalAt = l.pick(s -> s.queryInterval, s -> s.mldQueryInterval);
        Sourced<Duration> responseAt = l.pick(s -> s.queryResponseInterval, s -> s.mldQueryResponseInterval);
        Sourced<Duration> lastMemberAt = l.pick(s -> s.lastMemberQueryInterval, s -> s.mldLastMemberQueryInterval);
        int robustness = value(robustnessAt, IgmpSettings.DEFAULT_ROBUSTNESS);
        Duration queryInterval = value(queryIntervalAt, IgmpSettings.DEFAULT_QUERY_INTERVAL);
        Duration queryResponseInterval = value(responseAt, IgmpSettings.DEFAULT_QUERY_RESPONSE_INTERVAL);
        Duration lastMemberQueryInterval = value(lastMemberAt, IgmpSettings.DEFAULT_LAST_MEMBER_QUERY_INTERVAL);
        ConfigDraft.Settings own = l.own();
        ConfigDraft.Settings inherited = l.inherited();
        IgmpSettings s = new IgmpSettings(
                version,
                robustness,
                queryInterval,
                queryResponseInterval,
                lastMemberQueryInterval,
                value(l.pick(x -> x.lastMemberQueryCount, x -> x.mldLastMemberQueryCount), robustness),
                value(
                        l.pick(x -> x.startupQueryInterval, x -> x.mldStartupQueryInterval),
                        IgmpSettings.defaultStartupQueryInterval(queryInterval)),
                value(l.pick(x -> x.startupQueryCount, x -> x.mldStartupQueryCount), robustness),
                new QuerierAdoption(
                        value(
                                pick(own.maxAdoptedRobustness, inherited.maxAdoptedRobustness),
                                QuerierAdoption.DEFAULTS.maxRobustness()),
                        value(
                                pick(own.maxAdoptedQueryInterval, inherited.maxAdoptedQueryInterval),
                                QuerierAdoption.DEFAULTS.maxQueryInterval())));

        // A rule broken by MLD values that are all shared with IGMP has already been reported for IGMP.
        boolean ownValues = !l.mld()
                || l.mldOnly(queryIntervalAt, x -> x.mldQueryInterval)
                || l.mldOnly(responseAt, x -> x.mldQueryResponseInterval);
        String protocol = l.mld() ? " for MLD" : "";
        // RFC 3376 §8.3 (RFC 9777 §9.3): the Query Response Interval must be less than the Query Interval.
        if (ownValues && queryResponseInterval.compareTo(queryInterval) >= 0) {
            report(
                    name(l, "query-response-interval") + " " + ValueReader.format(queryResponseInterval)
                            + " must be less than " + name(l, "query-interval") + " "
                            + ValueReader.format(queryInterval) + protocol + where + " (RFC 3376 §8.3)",
                    l.here(queryIntervalAt, x -> x.queryInterval, x -> x.mldQueryInterval),
                    l.here(responseAt, x -> x.queryResponseInterval, x -> x.mldQueryResponseInterval));
        }
        if (!l.mld() && version == 2) {
            tooLongForV2(
                    "query-response-interval",
                    queryResponseInterval,
                    where,
                    own.queryResponseInterval,
                    own.igmpVersion);
            tooLongForV2(
                    "last-member-query-interval",
                    lastMemberQueryInterval,
                    where,
                    own.lastMemberQueryInterval,
                    own.igmpVersion);
        }
        if (l.mld() && version == IgmpSettings.MLDV1) {
            Sourced<Integer> versionHere = l.here(versionAt, x -> x.mldVersion, x -> x.mldVersion);
            tooLongForMldv1(
                    name(l, "query-response-interval"),
                    queryResponseInterval,
                    where,
                    l.here(responseAt, x -> x.queryResponseInterval, x -> x.mldQueryResponseInterval),
                    versionHere);
            tooLongForMldv1(
                    name(l, "last-member-query-interval"),
                    lastMemberQueryInterval,
                    where,
                    l.here(lastMemberAt, x -> x.lastMemberQueryInterval, x -> x.mldLastMemberQueryInterval),
                    versionHere);
        }
        return s;
    }

    /** The keyword to name in an error: the shared one for IGMP, the {@code mld-} one for MLD. */
    private static String name(Layers l, String keyword) {
        return l.mld() ? "mld-" + keyword : keyword;
    }

    /** MLDv1's Maximum Response Delay is 16 bits of milliseconds (RFC 2710 §3.4). */
    static final Duration MAX_MLDV1_RESPONSE_TIME = Duration.ofMillis(65_535);

    private void tooLongForMldv1(String name, Duration value, String where, Sourced<?>... involved) {
        if (value.compareTo(MAX_MLDV1_RESPONSE_TIME) > 0) {
            report(
                    name + " " + ValueReader.format(value) + " cannot be sent in MLDv1" + where
                            + " (its Maximum Response Delay is at most 65.535s, RFC 2710 §3.4)",
                    involved);
        }
    }

    /**
     * The address families: both unless written off (here, else inherited). Turning both off leaves the interface
     * nothing to do, which is an error (disabling an interface is {@code role disabled}).
     */
    private Set<IpFamily> families(ConfigDraft.Settings own, ConfigDraft.Settings inherited, String what) {
        Sourced<Boolean> ipv4 = pick(own.ipv4, inherited.ipv4);
        Sourced<Boolean> ipv6 = pick(own.ipv6, inherited.ipv6);
        Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
        if (value(ipv4, true)) {
            families.add(IpFamily.IPV4);
        }
        if (value(ipv6, true)) {
            families.add(IpFamily.IPV6);
        }
        if (families.isEmpty()) {
            report(
                    "ipv4 and ipv6 are both off in " + what
                            + ": it would run no address family (write 'role disabled' to leave an interface alone)",
                    own.ipv4,
                    own.ipv6);
            // The error stands (here or at the defaults block); an IPv4 placeholder keeps the records valid.
            families.add(IpFamily.IPV4);
        }
        return families;
    }

    /**
     * An allow list is taken literally, so one that names no prefix of a family the block runs lets nothing of that
     * family through: a file written before IPv6 ({@code allow-group 224.0.0.0/4}) would pass no IPv6 group without a
     * word. Warned where the list is written; {@code none} is deliberate and not warned about.
     */
    private void familiesLeftOut(ConfigDraft.Settings own, Set<IpFamily> families, String what) {
        leftOut(own.allowGroups, "allow-group", "group", families, what);
        leftOut(own.allowSources, "allow-source", "source", families, what);
    }

    private void leftOut(
            Sourced<List<IpPrefix>> list, String keyword, String noun, Set<IpFamily> families, String what) {
        if (list == null || list.value().isEmpty()) {
            return;
        }
        for (IpFamily family : families) {
            if (list.value().stream().noneMatch(p -> p.family() == family)) {
                IpPrefix all = noun.equals("group")
                        ? ValueReader.multicast(family)
                        : IpPrefix.parse(family == IpFamily.IPV4 ? "0.0.0.0/0" : "::/0");
                problems.warn(
                        list.line(),
                        keyword + " in " + what + " names no " + family + " prefix, so no " + family + " " + noun
                                + " passes there (add " + all + ", or write '"
                                + family.name().toLowerCase(java.util.Locale.ROOT) + " off')");
            }
        }
    }

    private void tooLongForV2(String name, Duration value, String where, Sourced<?>... involved) {
        if (value.compareTo(MAX_V2_RESPONSE_TIME) > 0) {
            report(
                    name + " " + ValueReader.format(value) + " cannot be sent in IGMPv2" + where
                            + " (its Max Resp Time is at most 25.5s, RFC 2236 §2.2)",
                    involved);
        }
    }

    /**
     * Reports a rule broken by a combination of values at the last line that wrote one of them in this block. If this
     * block wrote none of them, the values are all inherited and the defaults block already got the error.
     */
    private void report(String message, Sourced<?>... involved) {
        int line = 0;
        for (Sourced<?> s : involved) {
            if (s != null) {
                line = Math.max(line, s.line());
            }
        }
        if (line > 0) {
            problems.error(line, message);
        }
    }

    private PrefixFilter groupFilter(ConfigDraft.Settings own, ConfigDraft.Settings inherited) {
        return new PrefixFilter(
                list(own.allowGroups, inherited.allowGroups, PrefixFilter.ALL_GROUPS.allow()),
                list(own.denyGroups, inherited.denyGroups, List.of()));
    }

    private PrefixFilter sourceFilter(ConfigDraft.Settings own, ConfigDraft.Settings inherited) {
        return new PrefixFilter(
                list(own.allowSources, inherited.allowSources, PrefixFilter.ALL_SOURCES.allow()),
                list(own.denySources, inherited.denySources, List.of()));
    }

    /** Each group belongs to exactly one upstream: ranges of different upstreams must not overlap. */
    private void upstreamRangesDisjoint(Map<String, ConfigDraft.Interface> byName) {
        List<ConfigDraft.Interface> upstreams = byName.values().stream()
                .filter(i -> i.role != null && i.role.value() == Role.UPSTREAM)
                .toList();
        for (int b = 0; b < upstreams.size(); b++) {
            for (int a = 0; a < b; a++) {
                overlaps(
                        upstreams.get(a),
                        upstreams.get(a).upstreamGroups,
                        upstreams.get(b),
                        upstreams.get(b).upstreamGroups,
                        "upstream-groups",
                        "upstream",
                        "each group must belong to exactly one upstream");
            }
        }
    }

    /** The RPF check finds the downstream a source is local to; an address in two downstreams' altnets is ambiguous. */
    private void downstreamAltnetsDisjoint(Map<String, ConfigDraft.Interface> byName) {
        List<ConfigDraft.Interface> downstreams = byName.values().stream()
                .filter(i -> i.role != null && i.role.value() == Role.DOWNSTREAM)
                .toList();
        for (int b = 0; b < downstreams.size(); b++) {
            for (int a = 0; a < b; a++) {
                overlaps(
                        downstreams.get(a),
                        downstreams.get(a).altnets,
                        downstreams.get(b),
                        downstreams.get(b).altnets,
                        "altnet",
                        "downstream",
                        "a source address must be local to one downstream only");
            }
        }
    }

    private void overlaps(
            ConfigDraft.Interface a,
            List<Sourced<IpPrefix>> first,
            ConfigDraft.Interface b,
            List<Sourced<IpPrefix>> second,
            String keyword,
            String role,
            String why) {
        for (Sourced<IpPrefix> q : second) {
            for (Sourced<IpPrefix> p : first) {
                if (p.value().overlaps(q.value())) {
                    // Reported at whichever of the two lines comes later: that is where the conflict appears.
                    boolean secondLater = q.line() >= p.line();
                    Sourced<IpPrefix> here = secondLater ? q : p;
                    Sourced<IpPrefix> there = secondLater ? p : q;
                    ConfigDraft.Interface hereIf = secondLater ? b : a;
                    ConfigDraft.Interface thereIf = secondLater ? a : b;
                    problems.error(
                            here.line(),
                            keyword + " " + here.value() + " of " + hereIf.name + " overlaps "
                                    + keyword + " " + there.value() + " of " + role + " " + thereIf.name + " (line "
                                    + there.line() + "): " + why);
                }
            }
        }
    }

    private static <T> Sourced<T> pick(Sourced<T> own, Sourced<T> inherited) {
        return own != null ? own : inherited;
    }

    private static <T> T value(Sourced<T> s, T fallback) {
        return s != null ? s.value() : Objects.requireNonNull(fallback);
    }

    private static List<IpPrefix> list(
            Sourced<List<IpPrefix>> own, Sourced<List<IpPrefix>> inherited, List<IpPrefix> fallback) {
        return value(pick(own, inherited), fallback);
    }
}
