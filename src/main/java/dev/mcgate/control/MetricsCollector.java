package dev.mcgate.control;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link DaemonSnapshot}, taken at each scrape, into Prometheus metric families.
 *
 * <p>The gauges are made here; every counter family comes from the snapshot's {@link CounterReadings}, as the
 * {@code counters} command shows them, named {@code mcgate_NAME_total}.
 *
 * <p>Label cardinality is bounded: interfaces, roles, drop reasons and IGMP kinds are small fixed sets; per-flow
 * series exist only for the {@link #FLOW_SERIES} flows with the most bytes (each flow table is bounded too), while
 * {@code mcgate_flows} counts them all.
 */
public final class MetricsCollector implements MultiCollector {

    /** At most this many flows get series of their own: a scrape stays small whatever the traffic. */
    public static final int FLOW_SERIES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);
    private static final List<String> ROLES = List.of("upstream", "downstream");
    private static final List<String> STATES = List.of("open", "opening", "pending", "down", "no-address", "failed");

    private final Supplier<DaemonSnapshot> snapshots;

    /** @param snapshots takes a snapshot (on the loop); may throw when the daemon cannot answer in time */
    public MetricsCollector(Supplier<DaemonSnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public MetricSnapshots collect() {
        DaemonSnapshot s;
        try {
            s = snapshots.get();
        } catch (RuntimeException e) {
            // The JVM families still answer; this one says the daemon's own did not.
            LOG.warn("metrics: no daemon snapshot: {}", e.getMessage());
            return MetricSnapshots.of(gauge(
                    "mcgate_snapshot_failed",
                    "1 when the daemon's state could not be read " + "for this scrape",
                    Map.of(Labels.EMPTY, 1.0)));
        }
        return collect(s);
    }

    /** The families of one snapshot. */
    static MetricSnapshots collect(DaemonSnapshot s) {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge(
                "mcgate_uptime_seconds", "Seconds since the daemon started", Map.of(Labels.EMPTY, s.uptimeSeconds())));

        Map<Labels, Double> byRoleAndState = new LinkedHashMap<>();
        for (String role : ROLES) {
            for (String state : STATES) {
                long n = s.interfaces().stream()
                        .filter(i -> i.role().equals(role) && i.state().equals(state))
                        .count();
                byRoleAndState.put(Labels.of("role", role, "state", state), (double) n);
            }
        }
        out.add(gauge(
                "mcgate_interfaces",
                "Configured interfaces by role and state (open, pending: not present, "
                        + "present: present but not open)",
                byRoleAndState));

        Map<Labels, Double> open = new LinkedHashMap<>();
        Map<Labels, Double> captureBuffers = new LinkedHashMap<>();
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            open.put(
                    Labels.of("interface", i.name(), "role", i.role()),
                    i.state().equals("open") ? 1.0 : 0.0);
            if (i.captureBufferBytes() >= 0) {
                captureBuffers.put(Labels.of("interface", i.name()), (double) i.captureBufferBytes());
            }
        }
        out.add(gauge("mcgate_interface_open", "1 when the interface's port is open", open));
        out.add(gauge(
                "mcgate_capture_buffer_bytes", "The capture buffer of the interface's open port", captureBuffers));

        Map<Labels, Double> querier = new LinkedHashMap<>();
        Map<Labels, Double> groups = new LinkedHashMap<>();
        for (DaemonSnapshot.Router r : s.routers()) {
            Labels l = Labels.of("interface", r.name(), "protocol", r.protocol());
            querier.put(l, r.querier() ? 1.0 : 0.0);
            groups.put(l, (double) r.groups().size());
        }
        out.add(gauge("mcgate_querier", "1 when this router is the IGMP or MLD querier of the downstream", querier));
        out.add(gauge("mcgate_groups", "Group records on the downstream (RFC 3376 section 6.2.1)", groups));

        Map<Labels, Double> upstreamGroups = new LinkedHashMap<>();
        Map<Labels, Double> compatibility = new LinkedHashMap<>();
        Map<Labels, Double> mldCompatibility = new LinkedHashMap<>();
        for (DaemonSnapshot.Upstream u : s.upstreams()) {
            upstreamGroups.put(Labels.of("interface", u.name(), "protocol", u.protocol()), (double)
                    u.groups().size());
            (u.protocol().equals(DaemonSnapshot.Router.IGMP) ? compatibility : mldCompatibility)
                    .put(Labels.of("interface", u.name()), (double) u.compatibilityVersion());
        }
        out.add(gauge("mcgate_upstream_groups", "Groups reported on the upstream", upstreamGroups));
        out.add(gauge(
                "mcgate_upstream_igmp_version",
                "IGMP version the upstream reports in (older querier heard)",
                compatibility));
        out.add(gauge(
                "mcgate_upstream_mld_version",
                "MLD version the upstream reports in (an MLDv1 querier heard)",
                mldCompatibility));

        out.add(gauge("mcgate_flows", "Flows the forwarder tracks", Map.of(Labels.EMPTY, (double)
                s.flows().size())));
        Map<Labels, Double> flowPackets = new LinkedHashMap<>();
        Map<Labels, Double> flowBytes = new LinkedHashMap<>();
        s.flows().stream()
                .sorted(Comparator.comparingLong(DaemonSnapshot.Flow::bytes).reversed())
                .limit(FLOW_SERIES)
                .forEach(f -> {
                    Labels l = Labels.of("ingress", f.ingress(), "source", f.source(), "group", f.group());
                    flowPackets.put(l, (double) f.packets());
                    flowBytes.put(l, (double) f.bytes());
                });
        out.add(counter(
                "mcgate_flow_packets",
                "Packets of the flow (the " + FLOW_SERIES + " flows with the most bytes)",
                flowPackets));
        out.add(counter(
                "mcgate_flow_bytes",
                "IP octets of the flow (the " + FLOW_SERIES + " flows with the most bytes)",
                flowBytes));

        Map<Labels, Double> peerUp = new LinkedHashMap<>();
        for (DaemonSnapshot.Tunnel t : s.tunnels()) {
            peerUp.put(
                    Labels.of("tunnel", t.name(), "peer", t.peer()), t.state().equals("up") ? 1.0 : 0.0);
        }
        out.add(gauge(
                "mcgate_tunnel_peer_up",
                "1 when the tunnel's peer is up (a session, heard within the dead " + "interval)",
                peerUp));

        // Every counter the daemon keeps, one family each, from the same readings as the counters command.
        for (Counter family : s.counters().families()) {
            out.add(counter(Counter.PROMETHEUS_PREFIX + family.metric(), family.help(), values(s.counters(), family)));
        }
        return new MetricSnapshots(out);
    }

    /** A family's values by their labels; values recorded twice for the same labels are added up. */
    private static Map<Labels, Double> values(CounterReadings readings, Counter family) {
        Map<Labels, Double> out = new LinkedHashMap<>();
        for (CounterReading r : readings.of(family)) {
            Map<String, String> labels = r.labels();
            out.merge(
                    Labels.of(
                            labels.keySet().toArray(String[]::new),
                            labels.values().toArray(String[]::new)),
                    (double) r.value(),
                    Double::sum);
        }
        return out;
    }

    private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, value) -> b.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, Map<Labels, Double> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach((labels, value) -> b.dataPoint(
                CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
        return b.build();
    }
}
