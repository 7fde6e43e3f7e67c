package dev.mcgate.config;

import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prints a configuration in the native syntax with every value written out (what {@code mcgate check-config}
 * shows); parsing the output gives an equal {@link McgateConfig}.
 */
public final class EffectiveConfigRenderer {

    private EffectiveConfigRenderer() {}

    /** The HTTP relay's statements; an http-allow left to its default is shown as a comment (it follows the address). */
    private static void httpRelay(StringBuilder out, HttpRelayConfig h) {
        out.append("http-listen ").append(h.listen()).append('\n');
        String allow = h.allow().stream().map(Object::toString).collect(Collectors.joining(" "));
        out.append(h.allowWritten() ? "" : "# default: ")
                .append("http-allow ")
                .append(allow)
                .append('\n');
        out.append("http-linger ").append(ValueReader.format(h.linger())).append('\n');
        out.append("http-max-clients ").append(h.maxClients()).append('\n');
        out.append("http-max-clients-per-group ").append(h.maxClientsPerGroup()).append('\n');
        out.append("http-client-queue ").append(h.clientQueue()).append('\n');
        long bytes = h.clientQueueBytes();
        out.append("http-client-queue-bytes ")
                .append(bytes % 1024 == 0 ? bytes / 1024 + "KB" : Long.toString(bytes))
                .append('\n');
        out.append("http-max-clients-per-address ")
                .append(h.maxClientsPerAddress())
                .append('\n');
        out.append("http-join-rate ").append(h.joinRate()).append('\n');
        out.append("http-first-datagram-timeout ")
                .append(ValueReader.format(h.firstDatagramTimeout()))
                .append('\n');
        out.append("http-queue-budget ").append(size(h.queueBudget())).append('\n');
    }

    /** A byte size as http-* statements read it: in MB or KB where whole. */
    private static String size(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + "KB" : Long.toString(bytes);
    }

    public static String render(McgateConfig config) {
        StringBuilder out = new StringBuilder();
        out.append("# Effective mcgate configuration: every default filled in.\n");
        GlobalConfig g = config.global();
        out.append("control-socket ").append(g.controlSocket()).append('\n');
        out.append("log-level ").append(g.logLevel().keyword()).append('\n');
        out.append("unlisted-interfaces ").append(g.unlistedRole().keyword()).append('\n');
        out.append("packet-io ").append(g.packetIo().keyword()).append('\n');
        if (g.packetIo() == PacketIoEngine.AF_XDP || g.xdpMode() != XdpMode.AUTO) {
            out.append("xdp-mode ").append(g.xdpMode().keyword()).append('\n');
        }
        out.append(g.user().map(u -> "user " + u).orElse("# user: not set, mcgate runs as the user that starts it"))
                .append('\n');
        // No "off" keyword exists: an absent line is the default (no endpoint), so only a set address is written.
        g.metricsListen().ifPresent(a -> out.append("metrics-listen ").append(a).append('\n'));
        g.httpRelay().ifPresent(h -> httpRelay(out, h));

        InterfaceDefaults d = config.defaults();
        out.append("\ndefaults {\n");
        settings(
                out,
                d.igmp(),
                d.mld(),
                d.families(),
                null,
                d.ttlThreshold(),
                d.fastLeave(),
                d.groupFilter(),
                d.sourceFilter(),
                d.scopeBoundaries(),
                d.repairUdpChecksum(),
                d.captureBuffer(),
                d.limits());
        out.append("}\n");

        for (InterfaceConfig i : config.interfaces()) {
            out.append("\ninterface ").append(i.name()).append(" {\n");
            out.append("    # runs ")
                    .append(summary(i.families(), i.igmp(), i.mld()))
                    .append('\n');
            line(out, "role", i.role().keyword());
            if (!i.altnets().isEmpty()) {
                line(out, "altnet", prefixes(i.altnets()));
            }
            if (!i.upstreamGroups().isEmpty()) {
                line(out, "upstream-groups", prefixes(i.upstreamGroups()));
            }
            settings(
                    out,
                    i.igmp(),
                    i.mld(),
                    i.families(),
                    d,
                    i.ttlThreshold(),
                    i.fastLeave(),
                    i.groupFilter(),
                    i.sourceFilter(),
                    i.scopeBoundaries(),
                    i.repairUdpChecksum(),
                    i.captureBuffer(),
                    i.limits());
            out.append("}\n");
        }
        for (TunnelConfig t : config.tunnels()) {
            out.append("\ntunnel ").append(t.name()).append(" {\n");
            line(out, "role", t.role().keyword());
            line(out, "local", t.localAddress() + ":" + t.localPort());
            line(out, "peer", t.peerAddress() + ":" + t.peerPort());
            line(out, "key-file", t.keyFile());
            line(out, "keepalive", ValueReader.format(t.keepalive()));
            line(out, "dead-interval", ValueReader.format(t.deadInterval()));
            line(out, "mtu", t.mtu());
            if (t.role() == Role.UPSTREAM) {
                line(out, "ttl", t.ttl() == 0 ? "keep" : t.ttl());
                t.remap().forEach((remote, local) -> line(out, "remap", remote + " " + local));
            }
            out.append("}\n");
        }
        config.kafka().ifPresent(k -> kafka(out, k));
        return out.toString();
    }

    private static void kafka(StringBuilder out, KafkaRelayConfig k) {
        out.append("\nkafka {\n");
        line(out, "bootstrap-servers", k.bootstrapServers());
        k.propertiesFile().ifPresent(p -> line(out, "kafka-properties", p));
        line(out, "publish-mode", k.publishMode().keyword());
        line(out, "linger", ValueReader.format(k.linger()));
        line(out, "batch-size", CaptureBuffer.size(k.batchSize()));
        line(out, "handoff-records", k.handoffRecords());
        line(out, "handoff-bytes", CaptureBuffer.size(k.handoffBytes()));
        line(out, "delivery-timeout", ValueReader.format(k.deliveryTimeout()));
        line(out, "max-block", ValueReader.format(k.maxBlock()));
        line(out, "topic-pattern", k.topicPattern());
        for (KafkaPublishRule r : k.publish()) {
            StringBuilder l = new StringBuilder(r.groups().toString());
            r.source().ifPresent(s -> l.append(" source ").append(s));
            r.topic().ifPresent(t -> l.append(" topic ").append(t));
            line(out, "kafka-publish", l);
        }
        for (KafkaSubscription s : k.subscriptions()) {
            StringBuilder l = new StringBuilder("topic " + s.topic() + " group-id " + s.groupId() + " interfaces");
            s.interfaces().forEach(i -> l.append(' ').append(i));
            s.remap()
                    .forEach((from, to) ->
                            l.append(" remap ").append(from).append(' ').append(to));
            l.append(" ttl ").append(s.ttl()).append(" pace ").append(s.pacing().keyword());
            line(out, "kafka-subscribe", l);
        }
        out.append("}\n");
    }

    private static void settings(
            StringBuilder out,
            IgmpSettings igmp,
            IgmpSettings mld,
            Set<IpFamily> families,
            InterfaceDefaults inherited,
            int ttlThreshold,
            boolean fastLeave,
            PrefixFilter groups,
            PrefixFilter sources,
            List<IpPrefix> boundaries,
            boolean repairUdpChecksum,
            CaptureBuffer captureBuffer,
            MembershipLimits limits) {
        line(out, "igmp-version", igmp.version());
        line(out, "robustness", igmp.robustness());
        line(out, "query-interval", ValueReader.format(igmp.queryInterval()));
        line(out, "query-response-interval", ValueReader.format(igmp.queryResponseInterval()));
        line(out, "last-member-query-interval", ValueReader.format(igmp.lastMemberQueryInterval()));
        line(out, "last-member-query-count", igmp.lastMemberQueryCount());
        line(out, "startup-query-interval", ValueReader.format(igmp.startupQueryInterval()));
        line(out, "startup-query-count", igmp.startupQueryCount());
        line(out, "ipv4", families.contains(IpFamily.IPV4) ? "on" : "off");
        line(out, "ipv6", families.contains(IpFamily.IPV6) ? "on" : "off");
        line(out, "mld-version", mld.version() - 1);
        mldOverrides(out, igmp, mld, inherited);
        line(out, "fast-leave", fastLeave ? "yes" : "no");
        line(out, "ttl-threshold", ttlThreshold);
        // Lists are always written, "none" for an empty one, so that nothing is silently inherited on re-reading.
        line(out, "allow-group", prefixes(groups.allow()));
        line(out, "deny-group", prefixes(groups.deny()));
        line(out, "allow-source", prefixes(sources.allow()));
        line(out, "deny-source", prefixes(sources.deny()));
        line(out, "boundary", prefixes(boundaries));
        line(out, "repair-udp-checksum", repairUdpChecksum ? "yes" : "no");
        line(out, "capture-buffer", captureBuffer.keyword());
        line(out, "max-groups", limits.maxGroups());
        line(out, "max-sources", limits.maxSources());
        line(out, "max-hosts", limits.maxHosts());
        line(out, "igmp-rate-limit", limits.igmpRate());
        line(out, "max-adopted-robustness", igmp.adoption().maxRobustness());
        line(
                out,
                "max-adopted-query-interval",
                ValueReader.format(igmp.adoption().maxQueryInterval()));
    }

    /** What an interface runs, e.g. "IPv4 (IGMPv3) and IPv6 (MLDv2)". */
    private static String summary(Set<IpFamily> families, IgmpSettings igmp, IgmpSettings mld) {
        return families.stream()
                .sorted()
                .map(f -> f + " (" + f.versionName(f == IpFamily.IPV4 ? igmp.version() : mld.version()) + ")")
                .collect(Collectors.joining(" and "));
    }

    /**
     * The MLD timers that are not the shared ones. In an interface block, a timer is also written where the defaults
     * block wrote one, because an inherited {@code mld-*} setting would otherwise win over this block's shared one
     * on reading the output back.
     */
    private static void mldOverrides(StringBuilder out, IgmpSettings igmp, IgmpSettings mld, InterfaceDefaults d) {
        override(out, "robustness", IgmpSettings::robustness, igmp, mld, d);
        override(out, "query-interval", x -> ValueReader.format(x.queryInterval()), igmp, mld, d);
        override(out, "query-response-interval", x -> ValueReader.format(x.queryResponseInterval()), igmp, mld, d);
        override(out, "last-member-query-interval", x -> ValueReader.format(x.lastMemberQueryInterval()), igmp, mld, d);
        override(out, "last-member-query-count", IgmpSettings::lastMemberQueryCount, igmp, mld, d);
        override(out, "startup-query-interval", x -> ValueReader.format(x.startupQueryInterval()), igmp, mld, d);
        override(out, "startup-query-count", IgmpSettings::startupQueryCount, igmp, mld, d);
    }

    private static void override(
            StringBuilder out,
            String keyword,
            Function<IgmpSettings, Object> value,
            IgmpSettings igmp,
            IgmpSettings mld,
            InterfaceDefaults d) {
        boolean differs = !value.apply(mld).equals(value.apply(igmp));
        boolean inheritedDiffers = d != null && !value.apply(d.mld()).equals(value.apply(d.igmp()));
        if (differs || inheritedDiffers) {
            line(out, "mld-" + keyword, value.apply(mld));
        }
    }

    private static void line(StringBuilder out, String keyword, Object value) {
        out.append("    ").append(keyword).append(' ').append(value).append('\n');
    }

    private static String prefixes(List<IpPrefix> list) {
        return list.isEmpty() ? "none" : list.stream().map(IpPrefix::toString).collect(Collectors.joining(" "));
    }
}
