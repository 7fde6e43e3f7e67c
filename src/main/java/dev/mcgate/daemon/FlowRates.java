package dev.mcgate.daemon;

import dev.mcgate.forward.FlowCounters;
import dev.mcgate.net.IpAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packet and bit rates per flow, from the counter deltas between the last two samples (taken every second on the
 * loop): a rate covers the last completed sampling interval, so it is at most about two intervals old.
 *
 * <p>Loop thread only.
 */
final class FlowRates {

    /** One flow: the forwarder tracks (source, group) per arrival interface. */
    record Key(String ingress, IpAddress source, IpAddress group) {}

    /** Packets and bits per second. */
    record Rate(double packetsPerSecond, double bitsPerSecond) {
        static final Rate ZERO = new Rate(0, 0);
    }

    private Map<Key, long[]> previous;
    private long previousAt;
    private Map<Key, Rate> rates = Map.of();
    private double windowSeconds;

    /** Takes a sample at {@code nowNanos}; the rates become the deltas since the previous sample. */
    void sample(long nowNanos, List<FlowCounters> flows) {
        Map<Key, long[]> current = new HashMap<>();
        for (FlowCounters f : flows) {
            current.put(new Key(f.arrival(), f.source(), f.group()), new long[] {f.packets(), f.bytes()});
        }
        if (previous != null && nowNanos > previousAt) {
            double seconds = (nowNanos - previousAt) / 1e9;
            Map<Key, Rate> next = new HashMap<>();
            current.forEach((key, now) -> {
                long[] before = previous.get(key);
                // A flow new since the last sample started from zero within the interval; a counter that went back
                // is a flow evicted and seen again: no honest rate for it this time.
                long[] base = before == null ? new long[2] : before;
                long packets = now[0] - base[0];
                long bytes = now[1] - base[1];
                if (packets >= 0 && bytes >= 0) {
                    next.put(key, new Rate(packets / seconds, bytes * 8 / seconds));
                }
            });
            rates = next;
            windowSeconds = seconds;
        }
        previous = current;
        previousAt = nowNanos;
    }

    Rate rate(Key key) {
        return rates.getOrDefault(key, Rate.ZERO);
    }

    /** The interval the rates cover, in seconds; 0 before the second sample. */
    double windowSeconds() {
        return windowSeconds;
    }
}
