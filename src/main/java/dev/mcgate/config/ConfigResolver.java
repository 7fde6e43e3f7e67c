package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
                java.util.Optional.ofNullable(draft.metricsListen).map(Sourced::value));
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
                && interfaces.stream().noneMatch(i -> i.role() == Role.DOWNSTREAM)) {
            problems.warn(
                    draft.interfaces.isEmpty() ? draft.tunnels.get(0).line : draft.interfaces.get(0).line,
                    "no downstream interface: nothing will be forwarded");
        }
        upstreamRangesDisjoint(byName);
        downstreamAltnetsDisjoint(byName);
        return problems.hasErrors() ? null : new McgateConfig(global, defaults, interfaces, tunnels);
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
        return new InterfaceDefaults(
                igmp(d, nothing, ""),
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
        return new InterfaceConfig(
                i.name,
                role,
                igmp(own, inherited, " on interface " + i.name),
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
     * The IGMP settings: written here, else inherited, else the RFC 3376 default. The counts default to the effective
     * robustness and the startup query interval to a quarter of the effective query interval (RFC 3376 §8.6-8.9),
     * so an interface that only changes its query interval also gets a matching startup query interval.
     */
    private IgmpSettings igmp(ConfigDraft.Settings own, ConfigDraft.Settings inherited, String where) {
        int version = value(pick(own.igmpVersion, inherited.igmpVersion), 3);
        int robustness = value(pick(own.robustness, inherited.robustness), IgmpSettings.DEFAULT_ROBUSTNESS);
        Duration queryInterval =
                value(pick(own.queryInterval, inherited.queryInterval), IgmpSettings.DEFAULT_QUERY_INTERVAL);
        Duration queryResponseInterval = value(
                pick(own.queryResponseInterval, inherited.queryResponseInterval),
                IgmpSettings.DEFAULT_QUERY_RESPONSE_INTERVAL);
        Duration lastMemberQueryInterval = value(
                pick(own.lastMemberQueryInterval, inherited.lastMemberQueryInterval),
                IgmpSettings.DEFAULT_LAST_MEMBER_QUERY_INTERVAL);
        IgmpSettings s = new IgmpSettings(
                version,
                robustness,
                queryInterval,
                queryResponseInterval,
                lastMemberQueryInterval,
                value(pick(own.lastMemberQueryCount, inherited.lastMemberQueryCount), robustness),
                value(
                        pick(own.startupQueryInterval, inherited.startupQueryInterval),
                        IgmpSettings.defaultStartupQueryInterval(queryInterval)),
                value(pick(own.startupQueryCount, inherited.startupQueryCount), robustness),
                new QuerierAdoption(
                        value(
                                pick(own.maxAdoptedRobustness, inherited.maxAdoptedRobustness),
                                QuerierAdoption.DEFAULTS.maxRobustness()),
                        value(
                                pick(own.maxAdoptedQueryInterval, inherited.maxAdoptedQueryInterval),
                                QuerierAdoption.DEFAULTS.maxQueryInterval())));

        // RFC 3376 §8.3: the Query Response Interval must be less than the Query Interval.
        if (queryResponseInterval.compareTo(queryInterval) >= 0) {
            report(
                    "query-response-interval " + ValueReader.format(queryResponseInterval)
                            + " must be less than query-interval " + ValueReader.format(queryInterval) + where
                            + " (RFC 3376 §8.3)",
                    own.queryInterval,
                    own.queryResponseInterval);
        }
        if (version == 2) {
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
        return s;
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
            List<Sourced<Ip4Prefix>> first,
            ConfigDraft.Interface b,
            List<Sourced<Ip4Prefix>> second,
            String keyword,
            String role,
            String why) {
        for (Sourced<Ip4Prefix> q : second) {
            for (Sourced<Ip4Prefix> p : first) {
                if (p.value().overlaps(q.value())) {
                    // Reported at whichever of the two lines comes later: that is where the conflict appears.
                    boolean secondLater = q.line() >= p.line();
                    Sourced<Ip4Prefix> here = secondLater ? q : p;
                    Sourced<Ip4Prefix> there = secondLater ? p : q;
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

    private static List<Ip4Prefix> list(
            Sourced<List<Ip4Prefix>> own, Sourced<List<Ip4Prefix>> inherited, List<Ip4Prefix> fallback) {
        return value(pick(own, inherited), fallback);
    }
}
