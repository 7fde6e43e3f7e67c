package dev.mcgate.relay.kafka;

import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * {@code publish-mode while-consumed}: asks the cluster every few seconds which topics consumer groups read, on a
 * thread of its own ({@code kafka-consumed}), so that the publisher thread only reads a set. Until the first answer
 * nothing is consumed; when the cluster does not answer, the last answer stands (the records would fail anyway).
 */
final class ConsumptionWatch implements ConsumptionGate {

    static final Duration PERIOD = Duration.ofSeconds(5);

    private final ConsumedTopics source;
    /** Told the consumed topics when an answer differs from the last (on this watch's thread). */
    private final Consumer<Set<String>> changed;

    private final RateLimitedLog warnings = new RateLimitedLog(
            LoggerFactory.getLogger(ConsumptionWatch.class),
            new RateLimiter(1, Duration.ofMinutes(1), System::nanoTime));
    private volatile Set<String> consumed = Set.of();
    private volatile boolean running;
    private Thread thread;

    ConsumptionWatch(ConsumedTopics source) {
        this(source, topics -> {});
    }

    ConsumptionWatch(ConsumedTopics source, Consumer<Set<String>> changed) {
        this.source = source;
        this.changed = changed;
    }

    @Override
    public boolean open(String topic) {
        return consumed.contains(topic);
    }

    /** One look at the cluster; false if it did not answer. */
    boolean refresh() {
        try {
            Set<String> now = Set.copyOf(source.read());
            Set<String> before = consumed;
            consumed = now;
            if (!now.equals(before)) {
                changed.accept(now);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            warnings.warn("kafka publish-mode while-consumed: cannot list the consumer groups: " + e);
            return false;
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(
                () -> {
                    while (running) {
                        refresh();
                        LockSupport.parkNanos(PERIOD.toNanos());
                    }
                },
                "kafka-consumed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(PERIOD.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        source.close();
    }
}
