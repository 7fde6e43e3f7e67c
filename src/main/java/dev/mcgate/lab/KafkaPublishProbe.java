package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.relay.kafka.PublishStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Measures mcgate's Kafka publisher against a broker: the latency it adds (datagram arrival at the relay to broker
 * acknowledgement, p50/p99) at a steady rate, and the highest rate at which it publishes more than 99 % of what the
 * sender offered. trafgen sends small datagrams to one group on the upstream; mcgate publishes them (publish-mode
 * always) to one topic; every figure comes from mcgate's own {@code status --json}.
 */
final class KafkaPublishProbe {

    /** The relay's group: apart from the capacity groups and the HTTP relay's. */
    static final Ip4 GROUP = Ip4.of(239, 9, 0, 2);
    /** A market-data-sized datagram. */
    static final int PAYLOAD = 64;

    static final String TOPIC = "bench.kafka";
    /**
     * Until the first record is acknowledged (the topic is created then): slowly, since each record sent meanwhile is
     * a slow sample in the percentiles.
     */
    private static final double PRIMING_PPS = 5;

    private static final long PRIMING_LIMIT_MILLIS = 30_000;
    private static final long SETTLE_LIMIT_MILLIS = 15_000;
    private static final long POLL_MILLIS = 20;
    /** Nothing new offered for this long: the capture buffer holds nothing more of the step. */
    private static final long QUIET_MILLIS = 100;

    /**
     * The latency at a steady rate: what was sent (at what rate it went out), published and dropped, and the
     * percentiles over mcgate's last complete window of the run ({@code windowRecords} records).
     */
    record Steady(
            double pps,
            long sent,
            long published,
            long dropped,
            long windowRecords,
            long p50Micros,
            long p99Micros,
            long maxMicros) {}

    /** One step of the rate search: offered, sent, published, over how long (first frame to the last record). */
    record Step(double offeredPps, long sent, double sendingSeconds, long published, double seconds, long cpuNanos) {
        /** What the sender got out per second: below the offered rate, the sender was the limit. */
        double sentPps() {
            return sent / sendingSeconds;
        }

        double loss() {
            return sent == 0 ? 1 : Math.max(0, 1 - (double) published / sent);
        }

        double publishedPerSecond() {
            return published / seconds;
        }

        double cpuNanosPerRecord() {
            return published == 0 ? Double.NaN : (double) cpuNanos / published;
        }
    }

    /** A search's outcome: the passing step that published the most per second (null if none passed), the last. */
    record Result(Step best, Step last, boolean senderLimited, List<Step> steps) {
        Result {
            steps = List.copyOf(steps);
        }
    }

    private final LabTopology topology;
    private final TrafgenSender sender;

    KafkaPublishProbe(LabTopology topology, TrafgenSender sender) {
        this.topology = topology;
        this.sender = sender;
    }

    /**
     * mcgate's configuration for these rows: the bench's own plus a kafka block that publishes the group always, with
     * the block's defaults otherwise (low latency: linger 1 ms).
     */
    static String config(LabTopology topology, Path directory, String bootstrapServers) {
        return """
                # the Kafka relay's rows (written by 'mcgate lab bench')
                kafka {
                    bootstrap-servers %s
                    publish-mode always
                    kafka-publish %s/32 topic %s
                }
                """.formatted(bootstrapServers, GROUP, TOPIC) + BenchLab.config(topology, directory, true);
    }

    /**
     * Waits until mcgate's publisher runs (the daemon starts its relays after its interfaces), then sends slowly until
     * the broker has acknowledged a record: the topic exists and the producer is warm.
     */
    void prime(ControlSocketProbe mcgate) throws LabException {
        long started = System.nanoTime();
        KafkaPublishFigures before;
        while (true) {
            try {
                before = KafkaPublishFigures.of(mcgate.status());
                break;
            } catch (LabException notYet) {
                if (System.nanoTime() - started > PRIMING_LIMIT_MILLIS * 1_000_000) {
                    throw notYet;
                }
                CapacityProbe.sleep(POLL_MILLIS * 5);
            }
        }
        // One datagram at a time from the paced sender: trafgen's pacing qdisc would send what it holds after it
        // stopped, into the next measurement.
        long deadline = System.nanoTime() + PRIMING_LIMIT_MILLIS * 1_000_000;
        while (KafkaPublishFigures.of(mcgate.status()).published() == 0) {
            if (System.nanoTime() > deadline) {
                throw new LabException("mcgate published nothing within " + PRIMING_LIMIT_MILLIS + " ms of sending to "
                        + GROUP + ": " + KafkaPublishFigures.of(mcgate.status()));
            }
            send(1, 1, Duration.ofSeconds(1));
            CapacityProbe.sleep((long) (1000 / PRIMING_PPS));
        }
        settled(mcgate, before);
    }

    /**
     * {@code pps} for {@code seconds} from a paced sender that sleeps between datagrams (trafgen spins on the CPU it
     * shares with the broker, and the broker's share of it would be the figure); the percentiles are mcgate's last
     * complete latency window, read as the stream ends: a window wholly inside the stream once it ran two of them.
     */
    Steady steady(ControlSocketProbe mcgate, double pps, double seconds) throws LabException {
        // One window and a second: a complete window ends within the stream. Two and a second (the full and quick
        // plans): it lies wholly within it, after the stream's first seconds.
        double atLeast = PublishStats.WINDOW.toMillis() / 1000.0 + 1;
        if (seconds < atLeast) {
            throw new LabException("the Kafka steady run needs at least " + atLeast + " s (a latency window)");
        }
        KafkaPublishFigures before = KafkaPublishFigures.of(mcgate.status());
        SendResult sent = send(pps, 0, Duration.ofMillis((long) (seconds * 1000)));
        KafkaPublishFigures end = KafkaPublishFigures.of(mcgate.status());
        KafkaPublishFigures after = settled(mcgate, before).figures();
        return new Steady(
                sent.achievedRate(),
                sent.sent(),
                after.published() - before.published(),
                after.dropped() - before.dropped(),
                end.recentAcknowledged(),
                end.recentP50Micros(),
                end.recentP99Micros(),
                end.recentMaxMicros());
    }

    /** The lab's paced sender in the source namespace: {@code count} datagrams (0: any) for at most {@code span}. */
    private SendResult send(double pps, long count, Duration span) throws LabException {
        SendOptions options =
                new SendOptions(GROUP, TrafgenSender.PORT, null, null, pps, PAYLOAD, 32, count, span, false);
        try {
            return MulticastSender.runIn(topology.source(), options);
        } catch (IOException e) {
            throw new LabException("sending to " + GROUP + ": " + e.getMessage());
        }
    }

    /** Doubling from {@code startPps} and halving the gap, like the capacity search; a step passes above 99 %. */
    Result search(ControlSocketProbe mcgate, BenchForwarder router, BenchPlan plan, double startPps, double seconds)
            throws LabException {
        RateSearch search = new RateSearch(
                startPps, Math.max(startPps, plan.ceilingPps()), CapacityProbe.MAX_LOSS, plan.bisections());
        Step best = null;
        Step last = null;
        List<Step> steps = new java.util.ArrayList<>();
        for (OptionalDouble rate = search.next(); rate.isPresent(); rate = search.next()) {
            last = step(mcgate, router, rate.getAsDouble(), seconds);
            steps.add(last);
            search.record(last.sentPps(), last.loss());
            if (last.loss() < CapacityProbe.MAX_LOSS
                    && (best == null || last.publishedPerSecond() > best.publishedPerSecond())) {
                best = last;
            }
        }
        boolean senderLimited =
                last != null && last.loss() < CapacityProbe.MAX_LOSS && last.sentPps() < 0.9 * last.offeredPps();
        return new Result(best, last, senderLimited, steps);
    }

    private Step step(ControlSocketProbe mcgate, BenchForwarder router, double pps, double seconds)
            throws LabException {
        KafkaPublishFigures before = KafkaPublishFigures.of(mcgate.status());
        long cpu0 = router.cpuNanos();
        long sent0 = offered();
        TrafgenSender.Run run = sender.start(List.of(GROUP), pps, PAYLOAD);
        double sending;
        try {
            CapacityProbe.sleep((long) (seconds * 1000));
        } finally {
            sending = run.stop();
        }
        long sent = offered() - sent0;
        Settled settled = settled(mcgate, before);
        // The last acknowledgement came at most one poll before the settle saw the count grow.
        double took = Math.max(sending, (settled.lastAckNanos() - run.startedNanos()) / 1e9);
        return new Step(
                pps, sent, sending, settled.figures().published() - before.published(), took, router.cpuNanos() - cpu0);
    }

    /** What {@link #settled} saw at the end, and when the published count last grew (System.nanoTime). */
    private record Settled(KafkaPublishFigures figures, long lastAckNanos) {}

    /**
     * Waits until mcgate has taken in what was sent (what it was offered has not grown for {@link #QUIET_MILLIS}: the
     * capture buffer is empty) and every record offered since {@code before} is acknowledged or dropped; returns the
     * figures then and when the last acknowledgement came. A publisher that never settles (a record neither
     * acknowledged nor expired) is an error.
     */
    private static Settled settled(ControlSocketProbe mcgate, KafkaPublishFigures before) throws LabException {
        long deadline = System.nanoTime() + SETTLE_LIMIT_MILLIS * 1_000_000;
        KafkaPublishFigures now = KafkaPublishFigures.of(mcgate.status());
        long quietSince = System.nanoTime();
        long lastAck = System.nanoTime();
        while (!now.settledSince(before) || System.nanoTime() - quietSince < QUIET_MILLIS * 1_000_000) {
            if (System.nanoTime() > deadline) {
                throw new LabException("the Kafka publisher did not settle within " + SETTLE_LIMIT_MILLIS + " ms: "
                        + now + " after " + before);
            }
            CapacityProbe.sleep(POLL_MILLIS);
            KafkaPublishFigures next = KafkaPublishFigures.of(mcgate.status());
            if (next.offered() != now.offered()) {
                quietSince = System.nanoTime();
            }
            if (next.published() != now.published()) {
                lastAck = System.nanoTime();
            }
            now = next;
        }
        return new Settled(now, lastAck);
    }

    /** Frames the source's interface has sent so far. */
    private long offered() throws LabException {
        return BenchLab.netDev(topology.source()).offered(LabTopology.HOST_IF);
    }
}
