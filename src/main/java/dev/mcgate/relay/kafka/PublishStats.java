package dev.mcgate.relay.kafka;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import dev.mcgate.lab.LatencyHistogram;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The publisher's counters and its added latency (datagram arrival to broker acknowledgement), written by the
 * capture threads (hand-off drops), the publisher thread and the producer's I/O thread; read by any thread.
 */
public final class PublishStats implements CounterSource {

    /** What {@link #latency()} returns: acknowledged records and the latency percentiles, in microseconds. */
    public record Latency(long count, long p50Micros, long p99Micros, long maxMicros) {}

    private final Map<String, LongAdder> published = new ConcurrentHashMap<>();
    private final LongAdder[] drops = new LongAdder[PublishDrop.values().length];
    private final LongAdder offered = new LongAdder();
    private final LatencyHistogram histogram = new LatencyHistogram();

    public PublishStats() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    void offered() {
        offered.increment();
    }

    void drop(PublishDrop reason) {
        drops[reason.ordinal()].increment();
    }

    void acknowledged(String topic, long latencyNanos) {
        published.computeIfAbsent(topic, t -> new LongAdder()).increment();
        synchronized (histogram) {
            histogram.record(latencyNanos / 1000);
        }
    }

    /** Datagrams offered that a publish rule selected. */
    public long offeredCount() {
        return offered.sum();
    }

    public long published() {
        return published.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long drops(PublishDrop reason) {
        return drops[reason.ordinal()].sum();
    }

    public long drops() {
        long sum = 0;
        for (LongAdder d : drops) {
            sum += d.sum();
        }
        return sum;
    }

    public Latency latency() {
        synchronized (histogram) {
            return new Latency(histogram.count(), histogram.percentile(50), histogram.percentile(99), histogram.max());
        }
    }

    @Override
    public void recordInto(CounterRecorder out) {
        new TreeMap<>(published).forEach((topic, n) -> out.record(KafkaCounter.PUBLISHED, n.sum(), topic));
        for (PublishDrop reason : PublishDrop.values()) {
            out.record(KafkaCounter.PUBLISH_DROPS, drops(reason), reason.label());
        }
    }
}
