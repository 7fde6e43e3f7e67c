package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterEnums;
import dev.mcgate.counters.CounterReading;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint over HTTP on 127.0.0.1, its text parsed strictly and checked against the snapshot. */
class MetricsEndpointTest {

    static String scrape(int port) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(
                r.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
                r.headers().toString());
        return r.body();
    }

    @Test
    void everyFamilyIsTypedAndTheFiguresAreTheSnapshots() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, Snapshots::sample)) {
            Exposition e = Exposition.parse(scrape(endpoint.port()));
            assertEquals(1.0, e.value("mcgate_querier", "interface", "down1", "protocol", "igmp"));
            assertEquals(0.0, e.value("mcgate_querier", "interface", "down2", "protocol", "igmp"));
            assertEquals(2.0, e.value("mcgate_groups", "interface", "down1", "protocol", "igmp"));
            assertEquals(2.0, e.value("mcgate_interfaces", "role", "downstream", "state", "open"));
            assertEquals(1.0, e.value("mcgate_interfaces", "role", "downstream", "state", "pending"));
            assertEquals(0.0, e.value("mcgate_interface_open", "interface", "eth9", "role", "downstream"));
            assertEquals(988_800.0, e.value("mcgate_capture_buffer_bytes", "interface", "down1"));
            assertTrue(
                    e.named("mcgate_capture_buffer_bytes").stream()
                            .noneMatch(x -> x.labels().containsValue("eth9")),
                    "no sample for a port that is not open");
            assertEquals(1.0, e.value("mcgate_flows"));
            assertEquals(
                    950.0,
                    e.value(
                            "mcgate_flow_packets_total",
                            "ingress",
                            "up0",
                            "source",
                            "192.0.2.10",
                            "group",
                            "239.1.1.1"));
            assertEquals(
                    1_316_000.0,
                    e.value("mcgate_flow_bytes_total", "ingress", "up0", "source", "192.0.2.10", "group", "239.1.1.1"));
            assertEquals(
                    50.0, e.value("mcgate_drops_total", "interface", "up0", "direction", "in", "reason", "not-wanted"));
            assertEquals(
                    12.0,
                    e.value("mcgate_igmp_messages_total", "interface", "down1", "kind", "v3-report", "reason", ""));
            assertEquals(
                    2.0,
                    e.value(
                            "mcgate_igmp_messages_total",
                            "interface",
                            "down1",
                            "kind",
                            "malformed",
                            "reason",
                            "bad-checksum"));
            assertEquals(2.0, e.value("mcgate_upstream_groups", "interface", "up0", "protocol", "igmp"));
            assertEquals(1000.0, e.value("mcgate_frames_received_total", "interface", "up0"));
            assertEquals(4.0, e.value("mcgate_loop_inbox_drops_total"));
            assertEquals(1.0, e.value("mcgate_tunnel_peer_up", "tunnel", "tun-a", "peer", "192.0.2.50:4789"));
            assertEquals(0.0, e.value("mcgate_tunnel_peer_up", "tunnel", "tun-b", "peer", "198.51.100.77:4790"));
            assertEquals(
                    9000.0,
                    e.value("mcgate_tunnel_messages_total", "tunnel", "tun-a", "kind", "data", "direction", "sent"));
            assertEquals(
                    4.0,
                    e.value(
                            "mcgate_tunnel_messages_total",
                            "tunnel",
                            "tun-a",
                            "kind",
                            "data",
                            "direction",
                            "received"));
            assertEquals(
                    120.0,
                    e.value("mcgate_tunnel_messages_total", "tunnel", "tun-a", "kind", "control", "direction", "sent"));
            assertEquals(
                    118.0,
                    e.value(
                            "mcgate_tunnel_messages_total",
                            "tunnel",
                            "tun-a",
                            "kind",
                            "control",
                            "direction",
                            "received"));
            assertEquals(3.0, e.value("mcgate_tunnel_handshakes_total", "tunnel", "tun-a"));
            assertEquals(
                    7.0,
                    e.value(
                            "mcgate_tunnel_drops_total",
                            "tunnel",
                            "tun-a",
                            "direction",
                            "in",
                            "reason",
                            "auth-failed"));
            assertEquals("gauge", e.types.get("mcgate_tunnel_peer_up"));
            assertEquals("counter", e.types.get("mcgate_tunnel_messages_total"));
            assertEquals("counter", e.types.get("mcgate_drops_total"));
            assertEquals("gauge", e.types.get("mcgate_querier"));
            assertFalse(e.named("jvm_memory_used_bytes").isEmpty(), "JVM basics are there");
            assertFalse(e.named("jvm_threads_current").isEmpty(), "JVM basics are there");
        }
    }

    @Test
    void everyCounterTheDaemonKeepsIsACounterFamilyWithTheValuesCountersShows() throws Exception {
        DaemonSnapshot s = Snapshots.sample();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, () -> s)) {
            Exposition e = Exposition.parse(scrape(endpoint.port()));
            for (Counter c : CounterEnums.everyConstant()) {
                String family = "mcgate_" + c.metric() + "_total";
                List<CounterReading> values = s.counters().of(c);
                if (!values.isEmpty()) {
                    assertEquals("counter", e.types.get(family), family);
                }
                assertEquals(values.size(), e.named(family).size(), family + ": one sample per value");
                for (CounterReading r : values) {
                    List<String> labels = new ArrayList<>();
                    r.labels().forEach((k, v) -> {
                        labels.add(k);
                        labels.add(v);
                    });
                    assertEquals((double) r.value(), e.value(family, labels.toArray(String[]::new)), family + labels);
                }
            }
            // Zeros are samples too: the set of series does not depend on what happened.
            assertEquals(
                    0.0, e.value("mcgate_drops_total", "interface", "up0", "direction", "in", "reason", "rpf-failed"));
            assertEquals(0.0, e.value("mcgate_port_truncated_frames_total", "interface", "down2"));
        }
    }

    @Test
    void perFlowSeriesAreBoundedToTheBusiestFlows() throws Exception {
        DaemonSnapshot base = Snapshots.sample();
        List<DaemonSnapshot.Flow> flows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            flows.add(new DaemonSnapshot.Flow(
                    "192.0.2." + (i % 250),
                    "239.9." + i / 250 + "." + i % 250,
                    "up0",
                    List.of("down1"),
                    i,
                    1000L * i,
                    0,
                    0,
                    0));
        }
        DaemonSnapshot many = new DaemonSnapshot(
                base.version(),
                base.uptimeSeconds(),
                base.interfaces(),
                base.routers(),
                base.upstreams(),
                flows,
                1,
                base.loop(),
                base.tunnels(),
                base.engine(),
                base.counters(),
                base.relays());
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, () -> many)) {
            Exposition e = Exposition.parse(scrape(endpoint.port()));
            assertEquals(250.0, e.value("mcgate_flows"));
            List<Exposition.Sample> perFlow = e.named("mcgate_flow_bytes_total");
            assertEquals(MetricsCollector.FLOW_SERIES, perFlow.size());
            double smallest =
                    perFlow.stream().mapToDouble(Exposition.Sample::value).min().orElseThrow();
            assertEquals(1000.0 * (250 - MetricsCollector.FLOW_SERIES), smallest, "the busiest flows are kept");
        }
    }

    @Test
    void aDaemonThatCannotAnswerStillGivesAValidScrape() throws Exception {
        AtomicReference<DaemonSnapshot> none = new AtomicReference<>();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, () -> {
            throw new IllegalStateException("loop busy " + Optional.ofNullable(none.get()));
        })) {
            Exposition e = Exposition.parse(scrape(endpoint.port()));
            assertEquals(1.0, e.value("mcgate_snapshot_failed"));
            assertTrue(e.named("mcgate_querier").isEmpty());
        }
    }

    @Test
    void aPortInUseIsAClearErrorNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(
                    IOException.class,
                    () -> MetricsEndpoint.start("127.0.0.1", taken.getLocalPort(), Snapshots::sample));
            assertTrue(
                    e.getMessage()
                            .startsWith("metrics-listen 127.0.0.1:" + taken.getLocalPort() + ": cannot listen there"),
                    e.getMessage());
        }
    }

    @Test
    void onlyALoopbackAddressIsServedWithoutAWarning() throws Exception {
        for (String quiet : new String[] {"127.0.0.1", "127.0.0.53", "::1"}) {
            assertEquals(Optional.empty(), MetricsEndpoint.exposure(java.net.InetAddress.getByName(quiet)), quiet);
        }
        assertTrue(MetricsEndpoint.exposure(java.net.InetAddress.getByName("0.0.0.0"))
                .orElseThrow()
                .contains("every address of this host"));
        assertTrue(MetricsEndpoint.exposure(java.net.InetAddress.getByName("::"))
                .orElseThrow()
                .contains("every address of this host"));
        assertTrue(MetricsEndpoint.exposure(java.net.InetAddress.getByName("192.0.2.7"))
                .orElseThrow()
                .contains("non-loopback"));
    }
}
