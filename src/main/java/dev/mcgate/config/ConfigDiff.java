package dev.mcgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload changes: the daemon keeps what is unchanged, sets up {@link #added()}, tears down {@link #removed()}
 * and redoes {@link #changed()} (mark and sweep). Interface lists are names, in the order of the new file.
 *
 * @param controlSocketChanged the control socket must be reopened
 * @param logLevelChanged      the log threshold must be set again
 * @param unlistedChanged      interfaces the file does not name get other settings (unlisted role or defaults)
 * @param added                named interfaces that are new
 * @param removed              named interfaces that are gone (they fall back to the unlisted role)
 * @param changed              named interfaces whose effective configuration differs (role, timers, filters, ...)
 * @param restartNeeded        global settings read only at start that differ, as {@code packet-io pcap -> af-packet}
 *                             ({@code packet-io}, {@code user}, {@code metrics-listen}, in that order): a reload
 *                             cannot apply them
 */
public record ConfigDiff(
        boolean controlSocketChanged,
        boolean logLevelChanged,
        boolean unlistedChanged,
        List<String> added,
        List<String> removed,
        List<String> changed,
        List<String> restartNeeded) {

    public ConfigDiff {
        restartNeeded = List.copyOf(restartNeeded);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static ConfigDiff between(McgateConfig before, McgateConfig after) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (InterfaceConfig now : after.interfaces()) {
            InterfaceConfig then = named(before, now.name());
            if (then == null) {
                added.add(now.name());
            } else if (!then.equals(now)) {
                changed.add(now.name());
            }
        }
        List<String> removed = new ArrayList<>(before.interfaces().stream()
                .map(InterfaceConfig::name)
                .filter(name -> named(after, name) == null)
                .toList());
        // Tunnels are interfaces of their role too: listed by name like them.
        for (TunnelConfig now : after.tunnels()) {
            Optional<TunnelConfig> then = before.tunnel(now.name());
            if (then.isEmpty()) {
                added.add(now.name());
            } else if (!then.get().equals(now)) {
                changed.add(now.name());
            }
        }
        before.tunnels().stream()
                .map(TunnelConfig::name)
                .filter(name -> after.tunnel(name).isEmpty())
                .forEach(removed::add);
        GlobalConfig b = before.global();
        GlobalConfig a = after.global();
        // The HTTP relay is a downstream of its own: started, stopped or changed by a reload like one.
        if (b.httpRelay().isEmpty() && a.httpRelay().isPresent()) {
            added.add(HttpRelayConfig.INTERFACE_NAME);
        } else if (b.httpRelay().isPresent() && a.httpRelay().isEmpty()) {
            removed.add(HttpRelayConfig.INTERFACE_NAME);
        } else if (!b.httpRelay().equals(a.httpRelay())) {
            changed.add(HttpRelayConfig.INTERFACE_NAME);
        }
        // The Kafka relay: its publisher is a downstream of its own; a change of its lines or clients is a change too.
        if (before.kafka().isEmpty() && after.kafka().isPresent()) {
            added.add(KafkaRelayConfig.INTERFACE_NAME);
        } else if (before.kafka().isPresent() && after.kafka().isEmpty()) {
            removed.add(KafkaRelayConfig.INTERFACE_NAME);
        } else if (!before.kafka().equals(after.kafka())) {
            changed.add(KafkaRelayConfig.INTERFACE_NAME);
        }
        // The packet I/O engine opens every port, the user is switched to once, the metrics endpoint binds once:
        // all at start, so a reload can only say that they differ.
        List<String> restartNeeded = new ArrayList<>();
        compare(restartNeeded, "packet-io", b.packetIo().keyword(), a.packetIo().keyword());
        compare(restartNeeded, "xdp-mode", b.xdpMode().keyword(), a.xdpMode().keyword());
        compare(restartNeeded, "user", b.user().orElse("(not set)"), a.user().orElse("(not set)"));
        compare(
                restartNeeded,
                "metrics-listen",
                b.metricsListen().map(Object::toString).orElse("(not set)"),
                a.metricsListen().map(Object::toString).orElse("(not set)"));
        return new ConfigDiff(
                !b.controlSocket().equals(a.controlSocket()),
                b.logLevel() != a.logLevel(),
                b.unlistedRole() != a.unlistedRole() || !before.defaults().equals(after.defaults()),
                added,
                removed,
                changed,
                restartNeeded);
    }

    /** Nothing to do on reload. */
    public boolean isEmpty() {
        return !controlSocketChanged
                && !logLevelChanged
                && !unlistedChanged
                && added.isEmpty()
                && removed.isEmpty()
                && changed.isEmpty()
                && restartNeeded.isEmpty();
    }

    /**
     * What differs between two configurations of one interface, as the file's keywords with old and new values
     * ({@code ttl-threshold 1 -> 4}, {@code query-interval}, {@code allow-group}, ...), in a fixed order.
     */
    public static List<String> settingsChanged(InterfaceConfig before, InterfaceConfig after) {
        List<String> out = new ArrayList<>();
        compare(out, "role", before.role().keyword(), after.role().keyword());
        IgmpSettings b = before.igmp();
        IgmpSettings a = after.igmp();
        compare(out, "igmp-version", b.version(), a.version());
        compare(out, "robustness", b.robustness(), a.robustness());
        compare(out, "query-interval", b.queryInterval(), a.queryInterval());
        compare(out, "query-response-interval", b.queryResponseInterval(), a.queryResponseInterval());
        compare(out, "last-member-query-interval", b.lastMemberQueryInterval(), a.lastMemberQueryInterval());
        compare(out, "last-member-query-count", b.lastMemberQueryCount(), a.lastMemberQueryCount());
        compare(out, "startup-query-interval", b.startupQueryInterval(), a.startupQueryInterval());
        compare(out, "startup-query-count", b.startupQueryCount(), a.startupQueryCount());
        compare(out, "ipv4", onOff(before.runsIpv4()), onOff(after.runsIpv4()));
        compare(out, "ipv6", onOff(before.runsIpv6()), onOff(after.runsIpv6()));
        IgmpSettings bm = before.mld();
        IgmpSettings am = after.mld();
        compare(out, "mld-version", bm.version() - 1, am.version() - 1);
        // A change of a timer MLD shares with IGMP is listed once, above; an mld- line says MLD changed otherwise.
        mld(out, "robustness", IgmpSettings::robustness, b, a, bm, am);
        mld(out, "query-interval", IgmpSettings::queryInterval, b, a, bm, am);
        mld(out, "query-response-interval", IgmpSettings::queryResponseInterval, b, a, bm, am);
        mld(out, "last-member-query-interval", IgmpSettings::lastMemberQueryInterval, b, a, bm, am);
        mld(out, "last-member-query-count", IgmpSettings::lastMemberQueryCount, b, a, bm, am);
        mld(out, "startup-query-interval", IgmpSettings::startupQueryInterval, b, a, bm, am);
        mld(out, "startup-query-count", IgmpSettings::startupQueryCount, b, a, bm, am);
        compare(out, "ttl-threshold", before.ttlThreshold(), after.ttlThreshold());
        compare(out, "fast-leave", before.fastLeave(), after.fastLeave());
        compare(out, "altnet", before.altnets(), after.altnets());
        compare(out, "group filter", before.groupFilter(), after.groupFilter());
        compare(out, "source filter", before.sourceFilter(), after.sourceFilter());
        compare(out, "boundary", before.scopeBoundaries(), after.scopeBoundaries());
        compare(out, "upstream-groups", before.upstreamGroups(), after.upstreamGroups());
        compare(out, "repair-udp-checksum", before.repairUdpChecksum(), after.repairUdpChecksum());
        compare(
                out,
                "capture-buffer",
                before.captureBuffer().keyword(),
                after.captureBuffer().keyword());
        compare(out, "max-groups", before.limits().maxGroups(), after.limits().maxGroups());
        compare(out, "max-sources", before.limits().maxSources(), after.limits().maxSources());
        compare(out, "max-hosts", before.limits().maxHosts(), after.limits().maxHosts());
        compare(
                out,
                "igmp-rate-limit",
                before.limits().igmpRate(),
                after.limits().igmpRate());
        compare(
                out,
                "max-adopted-robustness",
                b.adoption().maxRobustness(),
                a.adoption().maxRobustness());
        compare(
                out,
                "max-adopted-query-interval",
                b.adoption().maxQueryInterval(),
                a.adoption().maxQueryInterval());
        return out;
    }

    private static void mld(
            List<String> out,
            String keyword,
            java.util.function.Function<IgmpSettings, Object> value,
            IgmpSettings igmpBefore,
            IgmpSettings igmpAfter,
            IgmpSettings mldBefore,
            IgmpSettings mldAfter) {
        Object before = value.apply(mldBefore);
        Object after = value.apply(mldAfter);
        if (!before.equals(value.apply(igmpBefore)) || !after.equals(value.apply(igmpAfter))) {
            compare(out, "mld-" + keyword, before, after);
        }
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static void compare(List<String> out, String keyword, Object before, Object after) {
        if (!before.equals(after)) {
            out.add(keyword + " " + text(before) + " -> " + text(after));
        }
    }

    private static String text(Object value) {
        if (value instanceof java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return String.valueOf(value);
    }

    private static InterfaceConfig named(McgateConfig config, String name) {
        return config.interfaces().stream()
                .filter(i -> Objects.equals(i.name(), name))
                .findFirst()
                .orElse(null);
    }
}
