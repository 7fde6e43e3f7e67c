package dev.mcgate.relay.kafka;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import dev.mcgate.lab.LatencyHistogram;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The publisher's counters and its added latency (datagram arrival to broker acknowledgement), since the start and
 * over the last complete {@link #WINDOW} (what it is now, without a long run's past or a start's warm-up in it);
 * written by the capture threads (hand-off drops), the publisher thread and the producer's I/O thread; read by any
 * thread.
 */
public final class PublishStats implements CounterSource {

    /** The recent latency's window. */
    public static final Duration WINDOW = Duration.ofSeconds(5);

    /** Acknowledged records and the latency percentiles, in microseconds (-1 without records). */
    public record Latency(long count, long p50Micros, long p99Micros, long maxMicros) {
        static final Latency NONE = new Latency(0, -1, -1, -1);

        static Latency of(LatencyHistogram h) {
            return new Latency(h.count(), h.percentile(50), h.percentile(99), h.max());
        }
    }

    private final Map<String, LongAdder> published = new ConcurrentHashMap<>();
    private final LongAdder[] drops = new LongAdder[PublishDrop.values().length];
    private final LongAdder offered = new LongAdder();
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final LongSupplier nanoClock;
    // Under the histogram's lock:
    private final LatencyHistogram window = new LatencyHistogram();
    private long windowStart;
    private Latency lastWindow = Latency.NONE;

    public PublishStats() {
        this(System::nanoTime);
    }

    /** On this monotonic clock, which starts the first window (tests). */
    PublishStats(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
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
            rotate(nanoClock.getAsLong());
            histogram.record(latencyNanos / 1000);
            window.record(latencyNanos / 1000);
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

    /** Since the start. */
    public Latency latency() {
        synchronized (histogram) {
            return Latency.of(histogram);
        }
    }

    /** Over the last complete window; {@link Latency#NONE}'s zero count when nothing was acknowledged in it. */
    public Latency recentLatency() {
        synchronized (histogram) {
            rotate(nanoClock.getAsLong());
            return lastWindow;
        }
    }

    /** The window ends on time whether records come or not: one with none in it is an empty last window. */
    private void rotate(long now) {
        long length = WINDOW.toNanos();
        long elapsed = now - windowStart;
        if (elapsed < length) {
            return;
        }
        lastWindow = elapsed < 2 * length && window.count() > 0 ? Latency.of(window) : Latency.NONE;
        window.reset();
        windowStart = now - elapsed % length;
    }

    @Override
    public void recordInto(CounterRecorder out) {
        new TreeMap<>(published).forEach((topic, n) -> out.record(KafkaCounter.PUBLISHED, n.sum(), topic));
        for (PublishDrop reason : PublishDrop.values()) {
            out.record(KafkaCounter.PUBLISH_DROPS, drops(reason), reason.label());
        }
    }
}
