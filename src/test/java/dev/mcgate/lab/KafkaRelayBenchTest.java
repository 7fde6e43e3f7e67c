package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.KafkaPublishMode;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.control.MiniJson;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka relay rows' pure parts: mcgate's configuration, the status figures, a step, the broker's class path. */
class KafkaRelayBenchTest {

    private static final String STATUS = """
            {"schema": 1, "command": "status", "relays": {"http": null, "kafka": {"running": true,
              "bootstrap_servers": "127.0.0.1:9092", "publishing_groups": 1,
              "publish": {"offered": 1000, "published": 990, "queued": 4,
                "drops": {"handoff-full": 5, "expired": 1, "stopped": 0},
                "latency_micros": {"acknowledged": 990, "p50": 1500, "p99": 25000, "max": 90000},
                "recent_latency_micros": {"acknowledged": 400, "p50": 1200, "p99": 8000, "max": 9000},
                "recent_seconds": 5.0},
              "subscribers": []}}}
            """;

    @Test
    void mcgatesConfigurationPublishesTheBenchGroupAlwaysToTheBroker() throws Exception {
        LabTopology topology = new LabTopology("bench");
        McgateConfig config = ConfigLoader.parse(
                        KafkaPublishProbe.config(topology, Path.of("/run/mcgate-lab/bench-bench"), "127.0.0.1:39092"),
                        "kafka.conf",
                        Format.NATIVE)
                .config();
        KafkaRelayConfig kafka = config.kafka().orElseThrow();
        assertEquals("127.0.0.1:39092", kafka.bootstrapServers());
        assertEquals(KafkaPublishMode.ALWAYS, kafka.publishMode());
        assertEquals(1, kafka.publish().size(), kafka.publish().toString());
        assertTrue(
                kafka.publish().get(0).groups().contains(KafkaPublishProbe.GROUP),
                kafka.publish().toString());
        assertEquals(
                List.of("up0", "down1", "down2"),
                config.interfaces().stream().map(i -> i.name()).toList());
    }

    @Test
    void theFiguresSumTheDropsOfEveryReasonAndReadTheLatency() throws Exception {
        KafkaPublishFigures f = KafkaPublishFigures.of(MiniJson.parse(STATUS));
        assertEquals(1000, f.offered());
        assertEquals(990, f.published());
        assertEquals(6, f.dropped());
        assertEquals(4, f.queued());
        assertEquals(1500, f.p50Micros());
        assertEquals(25000, f.p99Micros());
        assertEquals(400, f.recentAcknowledged());
        assertEquals(8000, f.recentP99Micros());
    }

    @Test
    void aDaemonWithoutAPublisherIsAnErrorNotZeros() {
        LabException e = assertThrows(
                LabException.class,
                () -> KafkaPublishFigures.of(MiniJson.parse("{\"relays\": {\"http\": null, \"kafka\": null}}")));
        assertTrue(e.getMessage().contains("no Kafka publisher"), e.getMessage());
    }

    @Test
    void settledMeansEveryOfferedRecordAcknowledgedOrDroppedAndNoneQueued() {
        KafkaPublishFigures before = new KafkaPublishFigures(100, 90, 10, 0, 0, 0, 0, 0, 0, 0, 0);
        assertTrue(new KafkaPublishFigures(200, 185, 15, 0, 0, 0, 0, 0, 0, 0, 0).settledSince(before));
        assertFalse(
                new KafkaPublishFigures(200, 184, 15, 0, 0, 0, 0, 0, 0, 0, 0).settledSince(before), "one outstanding");
        assertFalse(
                new KafkaPublishFigures(200, 185, 15, 1, 0, 0, 0, 0, 0, 0, 0).settledSince(before), "one still queued");
    }

    @Test
    void aStepsLossIsWhatWasSentAndNotPublished() {
        KafkaPublishProbe.Step step = new KafkaPublishProbe.Step(10_000, 20_000, 2.0, 19_900, 2.0, 4_000_000_000L);
        assertEquals(0.005, step.loss(), 1e-12);
        assertEquals(9_950, step.publishedPerSecond(), 1e-9);
        assertEquals(4e9 / 19_900, step.cpuNanosPerRecord(), 1e-9);
        assertEquals(10_000, step.sentPps(), 1e-9, "what went out per second of sending, not of the whole step");
        assertEquals(1.0, new KafkaPublishProbe.Step(10_000, 0, 1.0, 0, 1.0, 0).loss(), "nothing sent passes nothing");
    }

    @Test
    void theBrokerRunsFromBenchLibBesideMcgatesJar(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("mcgate.jar"));
        Path lib = Files.createDirectories(dir.resolve(BenchKafkaBroker.BENCH_LIB));
        Files.createFile(lib.resolve("kafka_2.13-4.4.0.jar"));
        Optional<String> cp = BenchKafkaBroker.classPath(jar.toString(), ClassLoader.getPlatformClassLoader());
        assertEquals(Optional.of(jar + File.pathSeparator + lib + "/*"), cp);
    }

    @Test
    void withoutBenchLibTheBrokerRunsOnlyWhereItsClassesAreOnMcgatesOwnClassPath(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("mcgate.jar"));
        // The platform loader has no broker; this test's loader has it (the build's test class path).
        assertEquals(
                Optional.empty(), BenchKafkaBroker.classPath(jar.toString(), ClassLoader.getPlatformClassLoader()));
        assertEquals(
                Optional.of(jar.toString()),
                BenchKafkaBroker.classPath(jar.toString(), KafkaRelayBenchTest.class.getClassLoader()));
        assertTrue(BenchKafkaBroker.missingReason().contains(BenchKafkaBroker.BENCH_LIB));
    }

    private static BenchReport report() {
        return new BenchReport(
                java.util.Map.of(),
                java.util.Map.of(),
                List.of("mcgate[pcap]", "kernel[bridge]"),
                "kernel[bridge]",
                List.of(new BenchReport.Comparison("mcgate[pcap]", "kernel[bridge]", "mcgate/bridge")));
    }

    @Test
    void aSteadyRunAndASearchBecomeMcgatesFourRows() {
        BenchReport report = report();
        KafkaPublishProbe.Step best = new KafkaPublishProbe.Step(40_000, 80_000, 2.0, 79_500, 2.1, 1_000_000_000L);
        BenchKafkaRelay.record(
                report,
                "mcgate[pcap]",
                new KafkaPublishProbe.Steady(10_000, 100_000, 100_000, 0, 50_000, 2_500, 9_000, 40_000),
                new KafkaPublishProbe.Result(best, best, false, List.of(best)),
                BenchKafkaRelay.metrics(report, "note"));
        assertEquals(2_500, only(report, BenchKafkaRelay.LATENCY_P50), 1e-9);
        assertEquals(9_000, only(report, BenchKafkaRelay.LATENCY_P99), 1e-9);
        assertEquals(best.publishedPerSecond(), only(report, BenchKafkaRelay.RATE), 1e-9);
        assertEquals(best.cpuNanosPerRecord(), only(report, BenchKafkaRelay.CPU), 1e-9);
    }

    @Test
    void aSteadyRunThatLostRecordsHasNoPercentilesAndASearchWithoutAPassNoRate() {
        BenchReport report = report();
        BenchKafkaRelay.record(
                report,
                "mcgate[pcap]",
                new KafkaPublishProbe.Steady(10_000, 100_000, 95_000, 5_000, 50_000, 2_500, 9_000, 40_000),
                new KafkaPublishProbe.Result(null, null, false, List.of()),
                BenchKafkaRelay.metrics(report, "note"));
        for (String key : List.of(
                BenchKafkaRelay.LATENCY_P50, BenchKafkaRelay.LATENCY_P99, BenchKafkaRelay.RATE, BenchKafkaRelay.CPU)) {
            BenchMetric m = report.metrics().stream()
                    .filter(x -> x.key().equals(key))
                    .findFirst()
                    .orElseThrow();
            assertTrue(m.samples("mcgate[pcap]").isEmpty(), key + " " + m.samples("mcgate[pcap]"));
            assertEquals("note", m.note(), "the row is there, n/a, with its note");
        }
    }

    private static double only(BenchReport report, String key) {
        BenchMetric m = report.metrics().stream()
                .filter(x -> x.key().equals(key))
                .findFirst()
                .orElseThrow();
        assertEquals(1, m.samples("mcgate[pcap]").size(), key);
        return m.median("mcgate[pcap]");
    }

    @Test
    void theRowsRejectANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new BenchPlan.KafkaRelayRows(true, 0, 1, 1, 1));
        assertTrue(BenchPlan.smoke().kafka().measured(), "the smoke run covers the rows' whole path");
    }
}
