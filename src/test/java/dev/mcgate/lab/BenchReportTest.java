package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.MiniJson;
import dev.mcgate.net.IpFamily;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static BenchReport report() {
        BenchReport r = new BenchReport(
                Map.of("cpu_model", "Test CPU \"X\"", "cores", "2"),
                Map.of("plan", "quick"),
                List.of("mcgate[pcap]", "kernel[smcroute]"),
                "kernel[smcroute]",
                List.of(new BenchReport.Comparison("mcgate[pcap]", "kernel[smcroute]", "ratio")));
        BenchMetric pps = r.metric("capacity_pps.64B.1rx.1g", "forwarded rate < 1 % loss, 64 B", "pps");
        for (double v : new double[] {90_000, 110_000, 100_000}) {
            pps.add("mcgate[pcap]", v);
        }
        for (double v : new double[] {160_000, 200_000, 180_000}) {
            pps.add("kernel[smcroute]", v);
        }
        r.metric("join_ms.p50", "join to first datagram, p50", "ms").add("mcgate[pcap]", 12.5);
        r.metric("join_ms.p50", "ignored: the metric exists", "ms").note("kernel n/a: static routes");
        r.metric("join_ms.p99", "join to first datagram, p99", "ms").note("kernel n/a: static routes");
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(Map<String, Object> doc, String key) {
        for (Object o : (List<Object>) doc.get("metrics")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.get("key").equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesBackWithMediansSamplesAndRatios() {
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(report().json());
        assertEquals("Test CPU \"X\"", ((Map<String, Object>) doc.get("machine")).get("cpu_model"));
        assertEquals(List.of("mcgate[pcap]", "kernel[smcroute]"), doc.get("forwarders"));
        assertEquals("kernel[smcroute]", doc.get("baseline"));

        Map<String, Object> pps = metric(doc, "capacity_pps.64B.1rx.1g");
        Map<String, Object> results = (Map<String, Object>) pps.get("results");
        Map<String, Object> mcgate = (Map<String, Object>) results.get("mcgate[pcap]");
        assertEquals(100_000.0, mcgate.get("median"));
        assertEquals(List.of(90_000.0, 110_000.0, 100_000.0), mcgate.get("samples"));
        assertEquals(180_000.0, ((Map<String, Object>) results.get("kernel[smcroute]")).get("median"));
        assertEquals(
                100_000.0 / 180_000.0, (Double) ((Map<String, Object>) pps.get("ratio")).get("mcgate[pcap]"), 1e-12);
        assertEquals(3.0, pps.get("rounds"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aForwarderWithoutSamplesIsNullWithItsReason() {
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(report().json());
        Map<String, Object> join = metric(doc, "join_ms.p50");
        assertNull(((Map<String, Object>) join.get("results")).get("kernel[smcroute]"));
        assertTrue(((Map<String, Object>) join.get("results")).containsKey("kernel[smcroute]"));
        assertNull(((Map<String, Object>) join.get("ratio")).get("mcgate[pcap]"));
        assertEquals("kernel n/a: static routes", join.get("note"));
        assertEquals("join to first datagram, p50", join.get("description"), "the first description stays");
    }

    @Test
    void tableHasAColumnPerForwarderTheRatioAndTheNotes() {
        String table = report().table();
        String[] lines = table.split("\n");
        assertTrue(
                lines[0].matches("metric\\s+unit\\s+mcgate\\[pcap]\\s+kernel\\[smcroute]\\s+ratio\\s+rounds"),
                lines[0]);
        assertTrue(
                lines[1].matches("forwarded rate < 1 % loss, 64 B\\s+pps\\s+100,000\\s+180,000\\s+0\\.56\\s+3"),
                lines[1]);
        assertTrue(lines[2].matches("join to first datagram, p50\\s+ms\\s+12\\.50\\s+n/a\\s+n/a\\s+1"), lines[2]);
        assertTrue(
                table.contains("\n  join to first datagram, p50 (and 1 more like it): kernel n/a: static routes\n"),
                table);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachComparisonDividesByItsOwnBaseline() {
        List<String> names = List.of("mcgate[pcap]", "kernel[smcroute]", "mcgate-tunnel[pcap]");
        BenchReport r = new BenchReport(
                Map.of(),
                Map.of(),
                names,
                "kernel[smcroute]",
                List.of(
                        new BenchReport.Comparison("mcgate[pcap]", "kernel[smcroute]", "mcgate/kernel"),
                        new BenchReport.Comparison("mcgate-tunnel[pcap]", "mcgate[pcap]", "tunnel/plain")));
        BenchMetric pps = r.metric("capacity_pps.1316B.1rx.1g", "forwarded rate, 1316 B", "pps");
        pps.add("mcgate[pcap]", 80_000);
        pps.add("kernel[smcroute]", 100_000);
        pps.add("mcgate-tunnel[pcap]", 20_000);
        String header = r.table().split("\n")[0];
        assertTrue(
                header.matches("metric\\s+unit\\s+mcgate\\[pcap]\\s+kernel\\[smcroute]\\s+mcgate-tunnel\\[pcap]"
                        + "\\s+mcgate/kernel\\s+tunnel/plain\\s+rounds"),
                header);
        assertTrue(r.table().split("\n")[1].matches(".*\\s0\\.80\\s+0\\.25\\s+1"), r.table());
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.json());
        assertEquals(
                Map.of("mcgate[pcap]", "kernel[smcroute]", "mcgate-tunnel[pcap]", "mcgate[pcap]"),
                doc.get("baselines"));
        Map<String, Object> ratio =
                (Map<String, Object>) metric(doc, "capacity_pps.1316B.1rx.1g").get("ratio");
        assertEquals(0.8, (Double) ratio.get("mcgate[pcap]"), 1e-12);
        assertEquals(0.25, (Double) ratio.get("mcgate-tunnel[pcap]"), 1e-12);
    }

    @Test
    void rejectsAComparisonOutsideTheForwardersOrTwiceForOne() {
        List<String> names = List.of("a", "k", "t");
        assertThrows(
                IllegalArgumentException.class,
                () -> new BenchReport(
                        Map.of(), Map.of(), names, "k", List.of(new BenchReport.Comparison("t", "x", "t/x"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BenchReport(
                        Map.of(), Map.of(), names, "k", List.of(new BenchReport.Comparison("a", "a", "a/a"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BenchReport(
                        Map.of(),
                        Map.of(),
                        names,
                        "k",
                        List.of(
                                new BenchReport.Comparison("t", "a", "t/a"),
                                new BenchReport.Comparison("t", "k", "t/k"))));
    }

    @Test
    void notesFollowTheFiguresEachForwarderHas() {
        String t = "mcgate-tunnel[pcap]";
        List<String> names = List.of("mcgate[pcap]", "kernel[smcroute]", t);
        BenchReport r = new BenchReport(Map.of(), Map.of(), names, "kernel[smcroute]", List.of());
        r.metric("capacity_pps.64B.1rx.1g", "rate, 64 B", "pps").add(t, 12_000);
        r.metric("capacity_pps.64B.1rx.1g", "", "").add("mcgate[pcap]", 70_000);
        // Same shape of key, but the quick plan measures the tunnel at 64 B only: no tunnel sample here.
        r.metric("capacity_pps.1316B.1rx.1g", "rate, 1316 B", "pps").add("mcgate[pcap]", 60_000);
        r.metric("join_ms.p50", "join", "ms").add("mcgate[pcap]", 20);
        r.metric("latency_rate_pps", "latency rate", "pps").add(t, 6_000);
        r.metric("latency_added_p50_us", "latency added", "us")
                .note("minus the direct path")
                .add(t, 500);

        BenchNotes.explainGaps(
                r, KernelReferences.decide(true, false, true), t, List.of(new BenchPlan.Point(64, 1, 1)));

        String measured = r.metric("capacity_pps.64B.1rx.1g", "", "").note();
        assertTrue(measured.startsWith(t + ": gateways A and B") && measured.contains("one core"), measured);
        assertEquals(
                t + " n/a: measured at IPv4, 64 B, 1 rx, 1 group only",
                r.metric("capacity_pps.1316B.1rx.1g", "", "").note());
        assertTrue(
                r.metric("join_ms.p50", "", "").note().startsWith("kernel n/a: measured for mcgate only"),
                r.metric("join_ms.p50", "", "").note());
        assertTrue(
                r.metric("join_ms.p50", "", "")
                        .note()
                        .endsWith("; " + t + " n/a: measured for plain forwarding " + "only"),
                r.metric("join_ms.p50", "", "").note());
        assertEquals("", r.metric("latency_rate_pps", "", "").note(), "measured for the tunnel: no excuse needed");
        assertTrue(r.metric("latency_added_p50_us", "", "")
                .note()
                .startsWith("minus the direct path; " + t + ": two user-space hops"));
        assertTrue(BenchNotes.kernelNote("capacity_pps.64B.1rx.1g", KernelReferences.decide(true, false, false))
                .contains("not installed"));
        assertTrue(BenchNotes.kernelNote("capacity_pps.64B.1rx.1g", KernelReferences.decide(false, false, true))
                .startsWith("kernel[smcroute] n/a: this kernel has no multicast routing"));
        assertEquals("", BenchNotes.kernelNote("capacity_pps.64B.1rx.1g", KernelReferences.decide(true, false, true)));
    }

    @Test
    void theBridgeIsTheReferenceEverywhereAndSmcrouteOnlyWhereTheKernelRoutesMulticast() {
        assertEquals(
                List.of("kernel[bridge]"),
                KernelReferences.decide(false, false, true).names());
        assertEquals(
                List.of("kernel[bridge]"),
                KernelReferences.decide(true, false, false).names());
        assertEquals(
                List.of("kernel[bridge]", "kernel[smcroute]"),
                KernelReferences.decide(true, false, true).names());
        assertTrue(KernelReferences.decide(false, false, true).why().contains("CONFIG_IP_MROUTE"));
        assertEquals(
                "bridge, smcroute", KernelReferences.decide(true, false, true).describe());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRateWithinFivePercentOfTheSendersCeilingIsMarkedAsTheSendersLimit() {
        List<String> names = List.of("ceiling[trafgen]", "mcgate[pcap]", "kernel[bridge]");
        BenchReport r = new BenchReport(
                Map.of(),
                Map.of(),
                names,
                "kernel[bridge]",
                List.of(new BenchReport.Comparison("mcgate[pcap]", "kernel[bridge]", "mcgate/bridge")),
                "ceiling[trafgen]");
        BenchMetric pps = r.metric("capacity_pps.64B.1rx.1g", "rate, 64 B", "pps");
        pps.add("ceiling[trafgen]", 240_000);
        pps.add("kernel[bridge]", 229_000); // 95.4 % of the ceiling
        pps.add("mcgate[pcap]", 226_000); // 94.2 %
        BenchMetric cpu = r.metric("cpu_ns_per_pkt.64B.1rx.1g", "cpu, 64 B", "ns");
        cpu.add("kernel[bridge]", 240_000); // not a rate: never marked

        assertTrue(r.senderLimited(pps, "kernel[bridge]"));
        assertFalse(r.senderLimited(pps, "mcgate[pcap]"));
        assertFalse(r.senderLimited(pps, "ceiling[trafgen]"));
        assertFalse(r.senderLimited(cpu, "kernel[bridge]"));
        String[] lines = r.table().split("\n");
        assertTrue(lines[1].matches(".*240,000\\s+226,000\\s+229,000\\*\\s+0\\.99\\s+1"), lines[1]);
        assertTrue(
                r.table().contains("* the sender's limit, not the forwarder's: within 5 % of ceiling[trafgen]"),
                r.table());

        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.json());
        assertEquals("ceiling[trafgen]", doc.get("sender_ceiling"));
        Map<String, Object> results =
                (Map<String, Object>) metric(doc, "capacity_pps.64B.1rx.1g").get("results");
        assertEquals(true, ((Map<String, Object>) results.get("kernel[bridge]")).get("sender_limited"));
        assertEquals(false, ((Map<String, Object>) results.get("mcgate[pcap]")).get("sender_limited"));
        assertFalse(((Map<String, Object>) results.get("ceiling[trafgen]")).containsKey("sender_limited"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BenchReport(Map.of(), Map.of(), names, "kernel[bridge]", List.of(), "ceiling[other]"));

        // Far below the ceiling, but the sender fell short in 2 of 3 rounds: still the sender's figure.
        BenchMetric two = r.metric("capacity_pps.64B.2rx.1g", "rate, 2 rx", "pps");
        two.add("ceiling[trafgen]", 240_000);
        for (double v : new double[] {60_000, 62_000, 61_000}) {
            two.add("mcgate[pcap]", v);
        }
        two.senderShortfall("mcgate[pcap]");
        assertFalse(r.senderLimited(two, "mcgate[pcap]"), "one round of three is not most");
        two.senderShortfall("mcgate[pcap]");
        assertTrue(r.senderLimited(two, "mcgate[pcap]"));
    }

    @Test
    void rejectsNonFiniteSamplesAndAnUnknownBaseline() {
        assertThrows(
                IllegalArgumentException.class,
                () -> report().metric("x", "x", "x").add("mcgate[pcap]", Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BenchReport(Map.of(), Map.of(), List.of("a"), "b", List.of()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void ipv6RowsCarryTheirFamilyInTheJsonAndTheTable() {
        BenchReport r = report();
        BenchPlan.Point v6 = new BenchPlan.Point(IpFamily.IPV6, 64, 1, 1);
        r.metric("capacity_pps." + v6.key(), "forwarded rate < 1 % loss, " + v6.label(), "pps", v6.family())
                .add("mcgate[pcap]", 95_000);
        r.metric("join_mld_ms.p50", "MLDv2 join to first datagram (IPv6), p50", "ms", IpFamily.IPV6)
                .add("mcgate[pcap]", 14);
        r.metric("capacity_pps.64B.1rx.1g", "ignored", "pps", IpFamily.IPV6);
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.json());
        assertEquals("IPv6", metric(doc, "capacity_pps.ipv6.64B.1rx.1g").get("family"));
        assertEquals("IPv6", metric(doc, "join_mld_ms.p50").get("family"));
        // A metric keeps the family it was made with; one made without has none.
        assertFalse(metric(doc, "capacity_pps.64B.1rx.1g").containsKey("family"));
        assertFalse(metric(doc, "join_ms.p50").containsKey("family"));
        String row =
                r.table().lines().filter(l -> l.contains("95,000")).findFirst().orElseThrow();
        assertTrue(row.startsWith("forwarded rate < 1 % loss, IPv6, 64 B, 1 rx, 1 group"), row);
    }

    @Test
    void smcroutesIpv6RowsSayWhyTheyAreAbsent() {
        String noMroute6 =
                BenchNotes.kernelNote("capacity_pps.ipv6.64B.1rx.1g", KernelReferences.decide(true, false, true));
        assertTrue(
                noMroute6.startsWith("kernel[smcroute] n/a: ") && noMroute6.contains("CONFIG_IPV6_MROUTE"), noMroute6);
        // Where smcroute runs for IPv4 and the kernel routes IPv6, the bench still gives it IPv4 routes only.
        assertTrue(BenchNotes.kernelNote("capacity_pps.ipv6.1316B.1rx.1g", KernelReferences.decide(true, true, true))
                .contains("IPv4 routes only"));
        // Without multicast routing at all, the IPv6 rows give the IPv6 reason too, and the IPv4 rows the IPv4 one.
        assertTrue(BenchNotes.kernelNote("capacity_pps.ipv6.64B.1rx.1g", KernelReferences.decide(false, false, true))
                .contains("CONFIG_IPV6_MROUTE"));
        assertFalse(BenchNotes.kernelNote("capacity_pps.64B.1rx.1g", KernelReferences.decide(false, false, true))
                .contains("IPV6"));
    }
}
