package dev.mcgate.control;

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
 * <p>Label cardinality is bounded: interfaces, roles, drop reasons and IGMP kinds are small fixed sets; per-flow
 * series exist only for the {@link #FLOW_SERIES} flows with the most bytes (each flow table is bounded too), while
 * {@code mcgate_flows} counts them all.
 */
public final class MetricsCollector implements MultiCollector {

    /** At most this many flows get series of their own: a scrape stays small whatever the traffic. */
    public static final int FLOW_SERIES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);
    private static final List<String> ROLES = List.of("upstream", "downstream");
    private static final List<String> STATES = List.of("open", "pending", "present");

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
            return MetricSnapshots.of(gauge("mcgate_snapshot_failed", "1 when the daemon's state could not be read "
                    + "for this scrape", Map.of(Labels.EMPTY, 1.0)));
        }
        return collect(s);
    }

    /** The families of one snapshot. */
    static MetricSnapshots collect(DaemonSnapshot s) {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("mcgate_uptime_seconds", "Seconds since the daemon started", Map.of(Labels.EMPTY,
                s.uptimeSeconds())));

        Map<Labels, Double> byRoleAndState = new LinkedHashMap<>();
        for (String role : ROLES) {
            for (String state : STATES) {
                long n = s.interfaces().stream().filter(i -> i.role().equals(role) && i.state().equals(state)).count();
                byRoleAndState.put(Labels.of("role", role, "state", state), (double) n);
            }
        }
        out.add(gauge("mcgate_interfaces", "Configured interfaces by role and state (open, pending: not present, "
                + "present: present but not open)", byRoleAndState));

        Map<Labels, Double> open = new LinkedHashMap<>();
        Map<Labels, Double> received = new LinkedHashMap<>();
        Map<Labels, Double> sent = new LinkedHashMap<>();
        Map<Labels, Double> sendErrors = new LinkedHashMap<>();
        Map<Labels, Double> kernelDrops = new LinkedHashMap<>();
        Map<Labels, Double> captureBuffers = new LinkedHashMap<>();
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            Labels l = Labels.of("interface", i.name(), "role", i.role());
            open.put(l, i.state().equals("open") ? 1.0 : 0.0);
            Labels only = Labels.of("interface", i.name());
            received.put(only, (double) i.received());
            sent.put(only, (double) i.sent());
            sendErrors.put(only, (double) i.sendErrors());
            if (i.kernelDrops() >= 0) {
                kernelDrops.put(only, (double) i.kernelDrops());
            }
            if (i.captureBufferBytes() >= 0) {
                captureBuffers.put(only, (double) i.captureBufferBytes());
            }
        }
        out.add(gauge("mcgate_interface_open", "1 when the interface's port is open", open));
        out.add(counter("mcgate_frames_received", "Frames captured on the interface's port", received));
        out.add(counter("mcgate_frames_sent", "Frames sent out of the interface's port", sent));
        out.add(counter("mcgate_send_errors", "Sends the kernel refused on the interface", sendErrors));
        out.add(counter("mcgate_kernel_drops", "Frames the capture ring overflowed on (libpcap ps_drop)",
                kernelDrops));
        out.add(gauge("mcgate_capture_buffer_bytes", "The capture buffer of the interface's open port",
                captureBuffers));

        Map<Labels, Double> querier = new LinkedHashMap<>();
        Map<Labels, Double> groups = new LinkedHashMap<>();
        for (DaemonSnapshot.Router r : s.routers()) {
            Labels l = Labels.of("interface", r.name());
            querier.put(l, r.querier() ? 1.0 : 0.0);
            groups.put(l, (double) r.groups().size());
        }
        out.add(gauge("mcgate_querier", "1 when this router is the IGMP querier of the downstream", querier));
        out.add(gauge("mcgate_groups", "Group records on the downstream (RFC 3376 section 6.2.1)", groups));

        Map<Labels, Double> upstreamGroups = new LinkedHashMap<>();
        Map<Labels, Double> compatibility = new LinkedHashMap<>();
        for (DaemonSnapshot.Upstream u : s.upstreams()) {
            Labels l = Labels.of("interface", u.name());
            upstreamGroups.put(l, (double) u.groups().size());
            compatibility.put(l, (double) u.compatibilityVersion());
        }
        out.add(gauge("mcgate_upstream_groups", "Groups reported on the upstream", upstreamGroups));
        out.add(gauge("mcgate_upstream_igmp_version", "IGMP version the upstream reports in (older querier heard)",
                compatibility));

        out.add(gauge("mcgate_flows", "Flows the forwarder tracks", Map.of(Labels.EMPTY,
                (double) s.flows().size())));
        Map<Labels, Double> flowPackets = new LinkedHashMap<>();
        Map<Labels, Double> flowBytes = new LinkedHashMap<>();
        s.flows().stream().sorted(Comparator.comparingLong(DaemonSnapshot.Flow::bytes).reversed()).limit(FLOW_SERIES)
                .forEach(f -> {
                    Labels l = Labels.of("ingress", f.ingress(), "source", f.source(), "group", f.group());
                    flowPackets.put(l, (double) f.packets());
                    flowBytes.put(l, (double) f.bytes());
                });
        out.add(counter("mcgate_flow_packets", "Packets of the flow (the " + FLOW_SERIES
                + " flows with the most bytes)", flowPackets));
        out.add(counter("mcgate_flow_bytes", "IP octets of the flow (the " + FLOW_SERIES
                + " flows with the most bytes)", flowBytes));

        Map<Labels, Double> drops = new LinkedHashMap<>();
        for (DaemonSnapshot.Drop d : s.drops()) {
            drops.put(Labels.of("interface", d.interfaceName(), "direction", d.direction(), "reason", d.reason()),
                    (double) d.count());
        }
        out.add(counter("mcgate_drops", "Packets not forwarded (direction in) and copies not sent (out), by reason",
                drops));

        Map<Labels, Double> igmp = new LinkedHashMap<>();
        for (DaemonSnapshot.IgmpCount c : s.igmp()) {
            igmp.merge(Labels.of("interface", c.interfaceName(), "kind", c.kind(), "reason", c.reason()),
                    (double) c.count(), Double::sum);
        }
        out.add(counter("mcgate_igmp_messages", "IGMP messages heard, by kind (malformed ones by reason)", igmp));

        Map<Labels, Double> peerUp = new LinkedHashMap<>();
        Map<Labels, Double> handshakes = new LinkedHashMap<>();
        Map<Labels, Double> tunnelMessages = new LinkedHashMap<>();
        for (DaemonSnapshot.Tunnel t : s.tunnels()) {
            peerUp.put(Labels.of("tunnel", t.name(), "peer", t.peer()), t.state().equals("up") ? 1.0 : 0.0);
            Labels only = Labels.of("tunnel", t.name());
            handshakes.put(only, (double) t.handshakes());
            tunnelMessages.put(Labels.of("tunnel", t.name(), "kind", "data", "direction", "sent"),
                    (double) t.dataSent());
            tunnelMessages.put(Labels.of("tunnel", t.name(), "kind", "data", "direction", "received"),
                    (double) t.dataReceived());
            tunnelMessages.put(Labels.of("tunnel", t.name(), "kind", "control", "direction", "sent"),
                    (double) t.controlSent());
            tunnelMessages.put(Labels.of("tunnel", t.name(), "kind", "control", "direction", "received"),
                    (double) t.controlReceived());
        }
        out.add(gauge("mcgate_tunnel_peer_up", "1 when the tunnel's peer is up (a session, heard within the dead "
                + "interval)", peerUp));
        out.add(counter("mcgate_tunnel_messages", "Tunnel messages sent and received (authentic and new), data or "
                + "control (handshake, keepalive, membership)", tunnelMessages));
        out.add(counter("mcgate_tunnel_handshakes", "Sessions established with the tunnel's peer", handshakes));

        out.add(counter("mcgate_loop_inbox_drops", "Events dropped because the event loop's inbox was full",
                Map.of(Labels.EMPTY, (double) s.loop().inboxDrops())));
        out.add(counter("mcgate_flows_evicted", "Flows replaced in a full flow table",
                Map.of(Labels.EMPTY, (double) s.loop().flowsEvicted())));
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, value) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value)
                .build()));
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, Map<Labels, Double> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach((labels, value) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value)
                .build()));
        return b.build();
    }
}
