package dev.mcgate.lab;

import dev.mcgate.net.IpFamily;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kafka relay's rows of {@code lab bench}: a broker of their own ({@link BenchKafkaBroker}) in the router's
 * namespace, then each mcgate engine started once more with a kafka block that publishes one group, its added latency
 * measured at a steady rate and its publish rate searched ({@link KafkaPublishProbe}). Where the broker's jars are not
 * installed, the rows are there without figures and their note says why.
 */
final class BenchKafkaRelay {

    static final String LATENCY_P50 = "kafka_publish_latency_p50_us";
    static final String LATENCY_P99 = "kafka_publish_latency_p99_us";
    static final String RATE = "kafka_publish_rps";
    static final String CPU = "kafka_publish_cpu_ns_per_record";

    private final LabTopology topology;
    private final BenchPlan plan;
    private final List<String> mcgateCommand;
    private final Path directory;
    private final TrafgenSender sender;
    private final PrintWriter out;

    BenchKafkaRelay(
            LabTopology topology,
            BenchPlan plan,
            List<String> mcgateCommand,
            Path directory,
            TrafgenSender sender,
            PrintWriter out) {
        this.topology = topology;
        this.plan = plan;
        this.mcgateCommand = List.copyOf(mcgateCommand);
        this.directory = directory;
        this.sender = sender;
        this.out = out;
    }

    /** Starts the broker and measures mcgate with each engine against it; no broker: the rows say why. */
    void measure(List<LabBench.Engine> engines, BenchReport report) throws LabException {
        Optional<String> classPath = BenchKafkaBroker.classPath(
                mcgateCommand.get(mcgateCommand.indexOf("-cp") + 1), BenchKafkaRelay.class.getClassLoader());
        if (classPath.isEmpty()) {
            out.println("  Kafka relay: " + BenchKafkaBroker.missingReason());
            out.flush();
            metrics(report, BenchKafkaBroker.missingReason());
            return;
        }
        try (BenchKafkaBroker broker =
                BenchKafkaBroker.start(mcgateCommand.get(0), classPath.get(), topology.router(), directory)) {
            out.println("  Kafka broker up at " + broker.bootstrapServers() + " (router namespace, CPU 0)");
            out.flush();
            for (LabBench.Engine engine : engines) {
                measure(engine, broker, report);
            }
        } catch (LabException e) {
            // The rest of the bench has its figures: these rows say why they have none rather than losing them all.
            out.println("  Kafka relay: not measured: " + e.getMessage());
            out.flush();
            metrics(report, "the Kafka rows failed: " + e.getMessage());
        }
    }

    private void measure(LabBench.Engine engine, BenchKafkaBroker broker, BenchReport report) throws LabException {
        McgateUnderTest mcgate = McgateUnderTest.inRouter(
                topology,
                engine,
                mcgateCommand,
                KafkaPublishProbe.config(topology, directory, broker.bootstrapServers()),
                directory,
                "kafka");
        KafkaPublishProbe probe = new KafkaPublishProbe(topology, sender);
        BenchPlan.KafkaRelayRows rows = plan.kafka();
        try {
            mcgate.start();
            ControlSocketProbe control = mcgate.probe();
            probe.prime(control);
            KafkaPublishProbe.Steady steady = probe.steady(control, rows.steadyPps(), rows.steadySeconds());
            KafkaPublishProbe.Result search = probe.search(control, mcgate, plan, rows.startPps(), rows.stepSeconds());
            print(steady, search);
            record(report, engine.name(), steady, search, metrics(report, note(rows)));
        } finally {
            mcgate.stop();
        }
    }

    private void print(KafkaPublishProbe.Steady s, KafkaPublishProbe.Result r) {
        out.printf(
                Locale.ROOT,
                "  Kafka relay, %,.0f/s for %.1f s: %d sent, %d published, %d dropped; arrival to broker ack over "
                        + "the last %d-record window: p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                s.pps(),
                plan.kafka().steadySeconds(),
                s.sent(),
                s.published(),
                s.dropped(),
                s.windowRecords(),
                s.p50Micros() / 1000.0,
                s.p99Micros() / 1000.0,
                s.maxMicros() / 1000.0);
        for (KafkaPublishProbe.Step step : r.steps()) {
            out.printf(
                    Locale.ROOT,
                    "    %,8.0f/s offered: %,8.0f/s sent, %6.2f %% not published, %,8.0f records/s acknowledged%n",
                    step.offeredPps(),
                    step.sentPps(),
                    100 * step.loss(),
                    step.publishedPerSecond());
        }
        if (r.best() == null) {
            KafkaPublishProbe.Step last = r.last();
            out.printf(
                    Locale.ROOT,
                    "  Kafka relay publish rate: no rate passed (the last, %,.0f/s offered: %.2f %% not published)%n",
                    last == null ? Double.NaN : last.offeredPps(),
                    last == null ? Double.NaN : 100 * last.loss());
        } else {
            KafkaPublishProbe.Step b = r.best();
            out.printf(
                    Locale.ROOT,
                    "  Kafka relay publish rate: %,.0f records/s acknowledged (%.2f %% not published), %,.0f ns of "
                            + "router CPU a record%s%n",
                    b.publishedPerSecond(),
                    100 * b.loss(),
                    b.cpuNanosPerRecord(),
                    r.senderLimited() ? "  (sender-limited)" : "");
        }
        out.flush();
    }

    private String note(BenchPlan.KafkaRelayRows rows) {
        return String.format(
                Locale.ROOT,
                "mcgate only: %d B datagrams to %s on the upstream; mcgate publishes them (publish-mode always, the "
                        + "kafka block's defaults: linger 1 ms, idempotent producer) to one topic of a one-node KRaft "
                        + "broker in its own JVM in the router namespace on CPU 0, with the senders; latency: datagram "
                        + "arrival at the relay (handed over by mcgate's forwarder) to broker acknowledgement, at "
                        + "%.0f/s for %.1f s from the lab's paced sender (trafgen spins on CPU 0), over mcgate's last "
                        + "complete 5 s window (status --json recent_latency_micros, read as the stream ends: no "
                        + "warm-up in it); publish rate: records acknowledged per second from the first frame to the "
                        + "last acknowledgement, the highest rate at which > 99 %% of what trafgen sent was published, "
                        + "doubling from %.0f/s, %.1f s a step",
                KafkaPublishProbe.PAYLOAD,
                KafkaPublishProbe.GROUP,
                rows.steadyPps(),
                rows.steadySeconds(),
                rows.startPps(),
                rows.stepSeconds());
    }

    /** The four rows, with their note: created even where nothing is measured (n/a, and the note says why). */
    static BenchMetric[] metrics(BenchReport report, String note) {
        return new BenchMetric[] {
            report.metric(LATENCY_P50, "Kafka publish, arrival to broker ack, p50", "us", IpFamily.IPV4)
                    .note(note),
            report.metric(LATENCY_P99, "Kafka publish, arrival to broker ack, p99", "us", IpFamily.IPV4)
                    .note(note),
            report.metric(RATE, "Kafka publish rate, > 99 % published", "records/s", IpFamily.IPV4)
                    .note(note),
            report.metric(CPU, "router CPU per record published to Kafka", "ns", IpFamily.IPV4)
                    .note(note)
        };
    }

    static void record(
            BenchReport report,
            String forwarder,
            KafkaPublishProbe.Steady steady,
            KafkaPublishProbe.Result search,
            BenchMetric[] rows) {
        // Percentiles of a run that lost records describe the records that made it, not the relay: none then.
        if (steady.windowRecords() > 0
                && steady.sent() > 0
                && steady.published() >= (1 - CapacityProbe.MAX_LOSS) * steady.sent()) {
            rows[0].add(forwarder, steady.p50Micros());
            rows[1].add(forwarder, steady.p99Micros());
        }
        if (search.best() != null) {
            rows[2].add(forwarder, search.best().publishedPerSecond());
            rows[3].add(forwarder, search.best().cpuNanosPerRecord());
        }
    }
}
