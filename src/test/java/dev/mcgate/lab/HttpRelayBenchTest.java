package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP relay rows' pure parts: the response head, a step's figures, mcgate's configuration, the report rows. */
class HttpRelayBenchTest {

    private static final int P = HttpRelayProbe.PAYLOAD;

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theHeadEndsAtItsBlankLineEvenAcrossReadsAndWhatFollowsIsBody() {
        RelayResponseHead head = new RelayResponseHead();
        ByteBuffer first = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r");
        assertFalse(head.feed(first));
        assertFalse(head.streaming());
        ByteBuffer second = ascii("\nBODY");
        assertTrue(head.feed(second));
        assertEquals("BODY", StandardCharsets.ISO_8859_1.decode(second).toString());
        assertTrue(head.failure().isEmpty());
    }

    @Test
    void aRefusalIsAFailureWithItsStatusLine() {
        RelayResponseHead head = new RelayResponseHead();
        assertFalse(head.feed(ascii("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ntoo many\n")));
        assertFalse(head.streaming());
        assertTrue(
                head.failure().orElseThrow().contains("HTTP/1.1 503 Service Unavailable"),
                head.failure().get());
    }

    @Test
    void aHeadThatNeverEndsIsAFailure() {
        RelayResponseHead head = new RelayResponseHead();
        assertFalse(head.feed(ByteBuffer.wrap(new byte[RelayResponseHead.MAX_HEAD_BYTES + 1])));
        assertTrue(head.failure().isPresent());
    }

    @Test
    void theClientThatGotTheLeastDecidesTheStep() {
        // 1000 datagrams sent in 0.5 s; one client got them all, the other 985.
        HttpRelayStep step = new HttpRelayStep(2000, 1000, 0.5, 0.5, 0, P, new long[] {1000L * P, 985L * P}, 3_970_000);
        assertEquals(0.985, step.worstDelivered(), 1e-12);
        assertTrue(step.loss() > CapacityProbe.MAX_LOSS, "985 of 1000 fails the > 99 % rule");
        assertEquals(2000, step.sentPps(), 1e-9);
        assertEquals(1985, step.deliveredDatagrams());
        assertEquals(1985.0 * P * 8 / 0.5 / 1e6, step.totalMbps(), 1e-9);
        assertEquals(step.totalMbps() / 2, step.perClientMbps(), 1e-12);
        assertEquals(3_970_000 / 1985.0, step.cpuNanosPerDatagram(), 1e-9);

        HttpRelayStep pass = new HttpRelayStep(2000, 1000, 0.5, 0.5, 0, P, new long[] {1000L * P, 991L * P}, 0);
        assertTrue(pass.loss() < CapacityProbe.MAX_LOSS, "991 of 1000 passes");
    }

    @Test
    void aRelayThatWorkedOffItsQueuesAfterTheSenderPassesButItsThroughputIsOverTheTimeItTook() {
        long[] all = {1000L * P, 1000L * P};
        HttpRelayStep late = new HttpRelayStep(2000, 1000, 0.5, 0.8, 0.3, P, all, 0);
        assertEquals(0.0, late.loss());
        assertEquals(2000.0 * P * 8 / 0.8 / 1e6, late.totalMbps(), 1e-9);
        HttpRelayStep prompt = new HttpRelayStep(2000, 1000, 0.5, 0.5, 0, P, all, 0);
        assertTrue(prompt.totalMbps() > late.totalMbps());
        assertThrows(IllegalArgumentException.class, () -> new HttpRelayStep(2000, 1000, 0.5, 0.5, -0.1, P, all, 0));
    }

    @Test
    void aDatagramFromBeforeTheStepDoesNotMakeMoreThanAllAndNothingSentIsNothingDelivered() {
        assertEquals(1.0, new HttpRelayStep(100, 10, 1, 1, 0, P, new long[] {11L * P}, 0).worstDelivered());
        assertEquals(0.0, new HttpRelayStep(100, 0, 1, 1, 0, P, new long[] {0}, 0).worstDelivered());
        assertThrows(IllegalArgumentException.class, () -> new HttpRelayStep(100, 10, 1, 1, 0, P, new long[0], 0));
    }

    @Test
    void mcgatesConfigurationServesReceiverOnesSubnetOnTheRoutersDown1Address() throws Exception {
        LabTopology topology = new LabTopology("bench");
        McgateConfig config = ConfigLoader.parse(
                        HttpRelayProbe.config(topology, Path.of("/run/mcgate-lab/bench-bench"), 50),
                        "http.conf",
                        Format.NATIVE)
                .config();
        HttpRelayConfig relay = config.global().httpRelay().orElseThrow();
        assertEquals(
                LabTopology.RX1_LINK.routerAddress().toString(), relay.listen().host());
        assertEquals(HttpRelayProbe.HTTP_PORT, relay.listen().port());
        assertTrue(relay.allows(LabTopology.RX1_LINK.hostAddress()));
        assertFalse(relay.allows(LabTopology.RX2_LINK.hostAddress()));
        assertTrue(relay.maxClientsPerGroup() >= 50 && relay.maxClients() >= 50, relay.toString());
        // All of them from rx1's one address: the default per-address guard (8) refused the 9th with 503.
        assertTrue(relay.maxClientsPerAddress() >= 50, relay.toString());
        // Reconnected clients must find the group still joined: the linger outlasts a step and its drain.
        assertTrue(relay.linger().toSeconds() >= 20, relay.linger().toString());
        // The rest is the bench's own configuration: its interfaces and control socket.
        assertEquals(
                List.of("up0", "down1", "down2"),
                config.interfaces().stream().map(i -> i.name()).toList());
        assertEquals(
                Path.of("/run/mcgate-lab/bench-bench/mcgate.sock"),
                config.global().controlSocket());
    }

    @Test
    void theRelaysGroupIsNoneOfTheGroupsTheReceiversJoinByIgmp() {
        IpAddress g = HttpRelayProbe.GROUP;
        assertTrue(g.isMulticast());
        assertFalse(LabBench.capacityGroups(100).contains(HttpRelayProbe.GROUP));
        assertFalse(JoinLeaveProbe.groups(BenchPlan.full().joins()).contains(HttpRelayProbe.GROUP));
        assertEquals("/udp/239.9.0.1:" + TrafgenSender.PORT, HttpRelayProbe.path());
    }

    @Test
    void theFullAndSmokePlansHaveTheOneClientRowTheFullAndQuickOnesFiftyClients() {
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick(), BenchPlan.smoke())) {
            assertTrue(plan.http().measuredIn(plan.rounds(), plan.rounds()), plan.name());
        }
        assertTrue(BenchPlan.full().http().clients().containsAll(List.of(1, 50)));
        assertTrue(BenchPlan.smoke().http().clients().contains(1));
        assertEquals(List.of(50), BenchPlan.quick().http().clients(), "quick: the row that shows the relay's fan-out");
        assertThrows(IllegalArgumentException.class, () -> new BenchPlan.HttpRelayRows(List.of(0), 1, true));
    }

    private static BenchReport report() {
        return new BenchReport(
                Map.of(),
                Map.of(),
                List.of("mcgate[pcap]", "kernel[bridge]"),
                "kernel[bridge]",
                List.of(new BenchReport.Comparison("mcgate[pcap]", "kernel[bridge]", "mcgate/bridge")));
    }

    @Test
    void aSearchBecomesRowsUnderMcgatesColumnWithTheKernelNotApplicable() {
        BenchReport report = report();
        HttpRelayStep best = new HttpRelayStep(400, 400, 1.0, 1.01, 0.01, P, longs(50, 400L * P), 80_000_000);
        BenchHttpRelay.record(
                report, "mcgate[pcap]", new HttpRelayProbe.Result(50, best, best, false), BenchPlan.full());

        BenchMetric total = metric(report, "http_relay_mbps.50clients");
        assertEquals(best.totalMbps(), total.median("mcgate[pcap]"), 1e-9);
        assertTrue(Double.isNaN(total.median("kernel[bridge]")));
        assertTrue(total.note().contains("the kernel has no HTTP relay"), total.note());
        assertTrue(total.note().contains("> 99 %"), total.note());
        assertEquals(
                best.totalMbps() / 50,
                metric(report, "http_relay_mbps_per_client.50clients").median("mcgate[pcap]"),
                1e-9);
        assertEquals(
                100.0, metric(report, "http_relay_worst_client_pct.50clients").median("mcgate[pcap]"), 1e-9);
        assertEquals(
                best.cpuNanosPerDatagram(),
                metric(report, "http_relay_cpu_ns_per_datagram.50clients").median("mcgate[pcap]"),
                1e-9);
        String table = report.table();
        assertTrue(table.contains("HTTP relay throughput, all clients > 99 %, 50 clients"), table);
        assertTrue(report.json().contains("\"key\": \"http_relay_mbps.50clients\""), report.json());
    }

    @Test
    void oneClientHasNoPerClientRowAndASearchWithNoPassIsNotApplicableWithTheReason() {
        BenchReport report = report();
        HttpRelayStep best = new HttpRelayStep(5000, 5000, 1.0, 1.0, 0, P, new long[] {5000L * P}, 1);
        BenchHttpRelay.record(report, "mcgate[pcap]", new HttpRelayProbe.Result(1, best, best, true), BenchPlan.full());
        assertTrue(metric(report, "http_relay_mbps.1client").note().contains("the sender's limit"));
        assertNull(find(report, "http_relay_mbps_per_client.1client"));

        BenchReport none = report();
        BenchHttpRelay.record(none, "mcgate[pcap]", new HttpRelayProbe.Result(50, null, null, false), BenchPlan.full());
        BenchMetric total = metric(none, "http_relay_mbps.50clients");
        assertTrue(total.samples("mcgate[pcap]").isEmpty());
        assertTrue(total.note().contains("no rate passed"), total.note());
        assertNull(find(none, "http_relay_cpu_ns_per_datagram.50clients"));
    }

    private static long[] longs(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static BenchMetric find(BenchReport report, String key) {
        return report.metrics().stream()
                .filter(m -> m.key().equals(key))
                .findFirst()
                .orElse(null);
    }

    private static BenchMetric metric(BenchReport report, String key) {
        BenchMetric m = find(report, key);
        assertTrue(
                m != null,
                key + " in " + report.metrics().stream().map(BenchMetric::key).toList());
        return m;
    }
}
