package dev.mcgate.control;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The text tables and JSON documents of status, groups, routes, counters and reload, rendered from one sample
 * snapshot; the JSON is read back with a parser of its own and checked value by value.
 */
class ReportsTest {

    private final DaemonSnapshot s = Snapshots.sample();

    /** The row of a table whose first cell is {@code first}, split on runs of two or more blanks. */
    private static List<String> row(String table, String first) {
        return table.lines()
                .filter(l -> l.startsWith(first + " "))
                .findFirst()
                .map(l -> List.of(l.split(" {2,}")))
                .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + table));
    }

    @Test
    void statusTextHasASummaryAndOneAlignedRowPerInterface() {
        String text = TextReport.status(s);
        assertTrue(text.startsWith("mcgate 1.2.3, up 1d 02:03:04; 2 groups, 1 flow\n"), text);
        assertEquals(
                List.of(
                        "down1",
                        "downstream",
                        "open",
                        "198.51.100.1",
                        "ethernet",
                        "966K",
                        "v3",
                        "this router",
                        "-",
                        "-",
                        "30",
                        "950",
                        "1",
                        "0"),
                row(text, "down1"));
        assertEquals(
                List.of(
                        "down2",
                        "downstream",
                        "open",
                        "203.0.113.1",
                        "raw-ip",
                        "4.0M",
                        "v2",
                        "203.0.113.2",
                        "-",
                        "-",
                        "5",
                        "6",
                        "0",
                        "-"),
                row(text, "down2"));
        assertEquals(
                List.of(
                        "up0",
                        "upstream",
                        "open",
                        "192.0.2.1",
                        "ethernet",
                        "3.8M",
                        "v2",
                        "192.0.2.254",
                        "-",
                        "-",
                        "1000",
                        "20",
                        "0",
                        "0"),
                row(text, "up0"));
        assertEquals("pending", row(text, "eth9").get(2));
        assertEquals("-", row(text, "eth9").get(4), "no link type and no buffer while not open");
        assertEquals("-", row(text, "eth9").get(5));
        // Aligned: every column starts at the same offset in the header and in each row.
        List<String> lines = text.lines().skip(1).limit(5).toList();
        int roleAt = lines.get(0).indexOf("ROLE");
        assertTrue(lines.stream().skip(1).allMatch(l -> l.charAt(roleAt - 1) == ' ' && l.charAt(roleAt) != ' '), text);
        assertTrue(text.contains("event loop: 4 events dropped"), text);
    }

    @Test
    void statusJsonCarriesTheSchemaAndEveryInterface() {
        Object doc = MiniJson.parse(JsonReport.status(s));
        assertEquals(1.0, at(doc, "schema"));
        assertEquals("status", at(doc, "command"));
        assertEquals(93784.5, at(doc, "uptime_seconds"));
        assertEquals(2.0, at(doc, "totals", "groups"));
        assertEquals(1.0, at(doc, "totals", "flows"));
        assertEquals(4, array(at(doc, "interfaces")).size());
        assertEquals("down1", at(doc, "interfaces", 1, "name"));
        assertEquals(true, at(doc, "interfaces", 1, "querier", "this_router"));
        assertEquals(false, at(doc, "interfaces", 2, "querier", "this_router"));
        assertEquals("203.0.113.2", at(doc, "interfaces", 2, "querier", "address"));
        assertNull(at(doc, "interfaces", 2, "counters", "kernel_drops"), "unknown is null");
        assertEquals(950.0, at(doc, "interfaces", 1, "counters", "sent"));
        assertEquals("192.0.2.254", at(doc, "interfaces", 0, "querier", "address"));
        assertEquals(2.0, at(doc, "interfaces", 0, "igmp_version"));
        assertNull(at(doc, "interfaces", 3, "address"));
        assertNull(at(doc, "interfaces", 3, "querier"));
        assertEquals(988_800.0, at(doc, "interfaces", 1, "capture_buffer_bytes"));
        assertNull(at(doc, "interfaces", 3, "capture_buffer_bytes"), "not open: no buffer");
        assertEquals(4.0, at(doc, "internal", "loop_inbox_drops"));
    }

    @Test
    void statusJsonHasNullRelaysWhereNoneIsConfigured() {
        Object doc = MiniJson.parse(JsonReport.status(s));
        assertNull(at(doc, "relays", "http"));
        assertNull(at(doc, "relays", "kafka"));
    }

    @Test
    void statusJsonCarriesEachRelaysGroupsPublisherAndSubscribers() {
        DaemonSnapshot.Relays relays = new DaemonSnapshot.Relays(
                Optional.of(new DaemonSnapshot.HttpRelay(
                        "127.0.0.1:4022",
                        3,
                        5000,
                        List.of(
                                new DaemonSnapshot.HttpGroup("239.1.1.1:5000", 2, 8e6),
                                new DaemonSnapshot.HttpGroup("10.0.0.1@232.1.1.1:5000", 1, 4e6)))),
                Optional.of(new DaemonSnapshot.KafkaRelay(
                        true,
                        "broker:9092",
                        2,
                        Optional.of(new DaemonSnapshot.KafkaPublish(
                                1000,
                                990,
                                Map.of("handoff-full", 7L, "expired", 3L),
                                4,
                                new DaemonSnapshot.PublishLatency(990, 1500, 25000, 90000),
                                new DaemonSnapshot.PublishLatency(400, 1200, 8000, 9000),
                                5.0)),
                        List.of(new DaemonSnapshot.KafkaSubscribe(
                                "feed", "floor-1", List.of("eth1", "eth2"), 500, 1, 2, 0)))));
        Object doc = MiniJson.parse(JsonReport.status(s.withRelays(relays)));
        assertEquals("127.0.0.1:4022", at(doc, "relays", "http", "listen"));
        assertEquals(3.0, at(doc, "relays", "http", "clients_now"));
        assertEquals("10.0.0.1@232.1.1.1:5000", at(doc, "relays", "http", "groups", 1, "group"));
        assertEquals(8e6, at(doc, "relays", "http", "groups", 0, "bits_per_second"));
        assertEquals(990.0, at(doc, "relays", "kafka", "publish", "published"));
        assertEquals(7.0, at(doc, "relays", "kafka", "publish", "drops", "handoff-full"));
        assertEquals(1500.0, at(doc, "relays", "kafka", "publish", "latency_micros", "p50"));
        assertEquals(25000.0, at(doc, "relays", "kafka", "publish", "latency_micros", "p99"));
        assertEquals("eth2", at(doc, "relays", "kafka", "subscribers", 0, "interfaces", 1));
        assertEquals(2.0, at(doc, "relays", "kafka", "subscribers", 0, "send_failed"));
        // Every other field under the name docs/control.md gives it.
        assertEquals(5000.0, at(doc, "relays", "http", "queued_bytes"));
        assertEquals(2.0, at(doc, "relays", "http", "groups", 0, "clients"));
        assertEquals(true, at(doc, "relays", "kafka", "running"));
        assertEquals("broker:9092", at(doc, "relays", "kafka", "bootstrap_servers"));
        assertEquals(2.0, at(doc, "relays", "kafka", "publishing_groups"));
        assertEquals(1000.0, at(doc, "relays", "kafka", "publish", "offered"));
        assertEquals(4.0, at(doc, "relays", "kafka", "publish", "queued"));
        assertEquals(990.0, at(doc, "relays", "kafka", "publish", "latency_micros", "acknowledged"));
        assertEquals(90000.0, at(doc, "relays", "kafka", "publish", "latency_micros", "max"));
        assertEquals(400.0, at(doc, "relays", "kafka", "publish", "recent_latency_micros", "acknowledged"));
        assertEquals(8000.0, at(doc, "relays", "kafka", "publish", "recent_latency_micros", "p99"));
        assertEquals(5.0, at(doc, "relays", "kafka", "publish", "recent_seconds"));
        assertEquals("feed", at(doc, "relays", "kafka", "subscribers", 0, "topic"));
        assertEquals("floor-1", at(doc, "relays", "kafka", "subscribers", 0, "group_id"));
        assertEquals(500.0, at(doc, "relays", "kafka", "subscribers", 0, "sent"));
        assertEquals(1.0, at(doc, "relays", "kafka", "subscribers", 0, "malformed"));
        assertEquals(0.0, at(doc, "relays", "kafka", "subscribers", 0, "commit_failed"));
    }

    @Test
    void aPublisherWithNothingAcknowledgedHasNoPercentiles() {
        DaemonSnapshot.Relays relays = new DaemonSnapshot.Relays(
                Optional.empty(),
                Optional.of(new DaemonSnapshot.KafkaRelay(
                        true,
                        "broker:9092",
                        1,
                        Optional.of(new DaemonSnapshot.KafkaPublish(
                                3,
                                0,
                                Map.of(),
                                3,
                                new DaemonSnapshot.PublishLatency(0, -1, -1, -1),
                                new DaemonSnapshot.PublishLatency(0, -1, -1, -1),
                                5.0)),
                        List.of())));
        Object doc = MiniJson.parse(JsonReport.status(s.withRelays(relays)));
        assertEquals(0.0, at(doc, "relays", "kafka", "publish", "latency_micros", "acknowledged"));
        assertNull(at(doc, "relays", "kafka", "publish", "latency_micros", "p50"));
        assertNull(at(doc, "relays", "kafka", "publish", "latency_micros", "max"));
        assertNull(at(doc, "relays", "kafka", "publish", "recent_latency_micros", "p99"));
    }

    @Test
    void statusShowsEveryTunnelsPeerStateAndCounters() {
        String text = TextReport.status(s);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("TUNNEL ")), text);
        assertEquals(
                List.of(
                        "tun-a",
                        "192.0.2.50:4789",
                        "downstream",
                        "up",
                        "75.3s",
                        "1.5s ago",
                        "300s",
                        "3",
                        "2",
                        "9000",
                        "4",
                        "120",
                        "118",
                        "1",
                        "1400"),
                row(text, "tun-a"));
        assertEquals(
                List.of(
                        "tun-b",
                        "198.51.100.77:4790",
                        "upstream",
                        "connecting",
                        "12.0s",
                        "never",
                        "-",
                        "0",
                        "0",
                        "0",
                        "0",
                        "6",
                        "0",
                        "0",
                        "1372"),
                row(text, "tun-b"));

        Object doc = MiniJson.parse(JsonReport.status(s));
        assertEquals(2, array(at(doc, "tunnels")).size());
        assertEquals("tun-a", at(doc, "tunnels", 0, "name"));
        assertEquals("192.0.2.50:4789", at(doc, "tunnels", 0, "peer"));
        assertEquals("downstream", at(doc, "tunnels", 0, "role"));
        assertEquals("up", at(doc, "tunnels", 0, "state"));
        assertEquals(75.25, at(doc, "tunnels", 0, "state_seconds"));
        assertEquals(1.5, at(doc, "tunnels", 0, "last_heard_seconds"));
        assertEquals(300.0, at(doc, "tunnels", 0, "session_age_seconds"));
        assertEquals(3.0, at(doc, "tunnels", 0, "handshakes"));
        assertEquals(2.0, at(doc, "tunnels", 0, "groups"));
        assertEquals(1400.0, at(doc, "tunnels", 0, "inner_mtu"));
        assertEquals(9000.0, at(doc, "tunnels", 0, "counters", "data_sent"));
        assertEquals(4.0, at(doc, "tunnels", 0, "counters", "data_received"));
        assertEquals(120.0, at(doc, "tunnels", 0, "counters", "control_sent"));
        assertEquals(118.0, at(doc, "tunnels", 0, "counters", "control_received"));
        assertEquals(1.0, at(doc, "tunnels", 0, "counters", "send_errors"));
        assertEquals("connecting", at(doc, "tunnels", 1, "state"));
        assertNull(at(doc, "tunnels", 1, "last_heard_seconds"), "never heard is null");
        assertNull(at(doc, "tunnels", 1, "session_age_seconds"), "no session is null");
    }

    @Test
    void statusShowsATunnelThatIsNotOpenWithItsReason() {
        DaemonSnapshot.Tunnel waiting = new DaemonSnapshot.Tunnel(
                "tun-c",
                "10.9.1.1:7400",
                "upstream",
                "not-open",
                42.0,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                1440,
                java.util.Optional.of("cannot bind 10.9.2.1:7400: Cannot assign requested address"));
        DaemonSnapshot with = new DaemonSnapshot(
                s.version(),
                s.uptimeSeconds(),
                s.interfaces(),
                s.routers(),
                s.upstreams(),
                s.flows(),
                s.rateWindowSeconds(),
                s.loop(),
                List.of(s.tunnels().get(0), waiting),
                s.engine(),
                s.counters(),
                s.relays());
        String text = TextReport.status(with);
        assertEquals(
                List.of(
                        "tun-c",
                        "10.9.1.1:7400",
                        "upstream",
                        "not open: cannot bind 10.9.2.1:7400: Cannot assign requested address",
                        "42.0s",
                        "never",
                        "-",
                        "0",
                        "0",
                        "0",
                        "0",
                        "0",
                        "0",
                        "0",
                        "1440"),
                row(text, "tun-c"));
        Object doc = MiniJson.parse(JsonReport.status(with));
        assertEquals("not-open", at(doc, "tunnels", 1, "state"));
        assertEquals("cannot bind 10.9.2.1:7400: Cannot assign requested address", at(doc, "tunnels", 1, "reason"));
        assertNull(at(doc, "tunnels", 0, "reason"), "an open tunnel has no reason");
    }

    @Test
    void statusWithoutTunnelsHasNoTunnelTableAndAnEmptyArray() {
        DaemonSnapshot none = new DaemonSnapshot(
                s.version(),
                s.uptimeSeconds(),
                s.interfaces(),
                s.routers(),
                s.upstreams(),
                s.flows(),
                s.rateWindowSeconds(),
                s.loop(),
                List.of(),
                s.engine(),
                s.counters(),
                s.relays());
        assertFalse(TextReport.status(none).contains("TUNNEL"), TextReport.status(none));
        assertEquals(
                0, array(at(MiniJson.parse(JsonReport.status(none)), "tunnels")).size());
    }

    @Test
    void groupsTextShowsTimersSourcesAndTheUpstreamReport() {
        String text = TextReport.groups(s, Optional.empty());
        assertTrue(text.contains("down1      239.1.1.1  exclude   258s  IGMPv3  -"), text);
        assertTrue(text.contains("192.0.2.10 (202s)"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("up0 +232\\.1\\.1\\.1 +include +192\\.0\\.2\\.10")), text);
        String onlyDown2 = TextReport.groups(s, Optional.of("down2"));
        assertFalse(onlyDown2.contains("239.1.1.1"), onlyDown2);
    }

    @Test
    void groupsJsonHasTimersInSecondsAndFiltersByInterface() {
        Object doc = MiniJson.parse(JsonReport.groups(s, Optional.empty()));
        assertEquals("groups", at(doc, "command"));
        assertNull(at(doc, "interface"));
        assertEquals("239.1.1.1", at(doc, "downstreams", 0, "groups", 0, "group"));
        assertEquals("exclude", at(doc, "downstreams", 0, "groups", 0, "filter_mode"));
        assertEquals(258.25, at(doc, "downstreams", 0, "groups", 0, "group_timer_seconds"));
        assertEquals(201.5, at(doc, "downstreams", 0, "groups", 1, "sources", 0, "timer_seconds"));
        assertEquals(2.0, at(doc, "downstreams", 0, "counters", "router_fast_leaves"));
        assertEquals(250.125, at(doc, "downstreams", 1, "querier", "other_querier_present_seconds"));
        assertEquals(List.of("192.0.2.10"), at(doc, "upstreams", 0, "groups", 1, "sources"));
        assertEquals(2.0, at(doc, "upstreams", 0, "compatibility_version"));

        Object only = MiniJson.parse(JsonReport.groups(s, Optional.of("up0")));
        assertEquals("up0", at(only, "interface"));
        assertEquals(0, array(at(only, "downstreams")).size());
        assertEquals(1, array(at(only, "upstreams")).size());
    }

    @Test
    void routesShowEgressCountersAndRates() {
        String text = TextReport.routes(s);
        assertTrue(text.startsWith("1 flow; rates over the last 1.0s sample\n"), text);
        assertEquals(
                List.of("192.0.2.10", "239.1.1.1", "up0", "down1", "950", "1316000", "500", "5.26M", "0.0s"),
                row(text, "192.0.2.10"));
        Object doc = MiniJson.parse(JsonReport.routes(s));
        assertEquals(1.0, at(doc, "rate_window_seconds"));
        assertEquals(List.of("down1"), at(doc, "flows", 0, "egress"));
        assertEquals(950.0, at(doc, "flows", 0, "packets"));
        assertEquals(5_264_000.0, at(doc, "flows", 0, "bits_per_second"));
        assertEquals(0.002, at(doc, "flows", 0, "idle_seconds"));
    }

    @Test
    void countersListDropsByReasonAndIgmpByKind() {
        String text = TextReport.counters(s);
        assertEquals(List.of("up0", "1000", "20", "0", "0", "1000", "950", "0", "0"), row(text, "up0"));
        assertEquals(List.of("up0", "in", "not-wanted", "50"), rowAfter(text, "Drops", "up0"));
        assertTrue(text.lines().anyMatch(l -> l.matches("down1 +malformed +bad-checksum +2")), text);
        Object doc = MiniJson.parse(JsonReport.counters(s));
        assertEquals("mtu-exceeded", at(doc, "drops", 1, "reason"));
        assertEquals("out", at(doc, "drops", 1, "direction"));
        assertEquals(3.0, at(doc, "drops", 1, "count"));
        assertEquals(List.of("tun-a", "in", "auth-failed", "7"), rowAfter(text, "Drops", "tun-a"));
        assertEquals("tun-a", at(doc, "drops", 2, "interface"));
        assertEquals("auth-failed", at(doc, "drops", 2, "reason"));
        assertEquals(7.0, at(doc, "drops", 2, "count"));
        assertNull(at(doc, "igmp", 0, "reason"));
        assertEquals("bad-checksum", at(doc, "igmp", 1, "reason"));
        assertEquals(950.0, at(doc, "interfaces", 0, "forwarding", "forwarded"));
        assertNull(at(doc, "interfaces", 2, "forwarding"), "down2 has no forwarder figures");
        // The counters no table above shows: a router's notices among them; a family by reason shows non-zero rows.
        assertTrue(
                text.lines().anyMatch(l -> l.matches("router_fast_leaves +interface=down1 +protocol=igmp +2")), text);
        assertTrue(
                text.lines()
                        .anyMatch(l -> l.matches("tunnel_messages +tunnel=tun-b kind=control " + "direction=sent +6")),
                text);
        assertFalse(text.lines().anyMatch(l -> l.startsWith("tunnel_messages ") && l.endsWith(" 0")), text);
        assertTrue(
                text.lines().anyMatch(l -> l.matches("control_requests_answered +- +-")),
                "a family with no " + "value still has its row: " + text);
    }

    private static List<String> rowAfter(String text, String section, String first) {
        String rest = text.substring(text.indexOf(section));
        return row(rest, first);
    }

    @Test
    void reloadOutcomeInTextAndJson() {
        Reloading.Outcome ok = new Reloading.Outcome(true, "2 changes", List.of("down3 added", "up0: robustness 3"));
        assertEquals("reloaded: 2 changes\n  down3 added\n  up0: robustness 3\n", TextReport.reload(ok));
        Object doc = MiniJson.parse(JsonReport.reload(ok));
        assertEquals(true, at(doc, "applied"));
        assertEquals(List.of("down3 added", "up0: robustness 3"), at(doc, "changes"));
        Object refused = MiniJson.parse(JsonReport.reload(new Reloading.Outcome(false, "m.conf:3: bad", List.of())));
        assertEquals(false, at(refused, "applied"));
        assertEquals("m.conf:3: bad", at(refused, "message"));
    }

    @Test
    void numbersScaleToThreeFigures() {
        assertEquals("950", TextReport.scaled(950, ""));
        assertEquals("12.5k", TextReport.scaled(12_500, ""));
        assertEquals("1.05G", TextReport.scaled(1_050_000_000, ""));
        assertEquals("00:00:59", TextReport.uptime(59.9));
        assertEquals("10.00", TextReport.fixed(9.999, 2));
        assertEquals("0.0", TextReport.fixed(0.04, 1));
        assertEquals("202", TextReport.fixed(201.5, 0));
        assertEquals("-1.5", TextReport.fixed(-1.5, 1));
    }
}
