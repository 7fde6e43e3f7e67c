package dev.mcgate.relay.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps each flow's original spacing when its records are sent again: a record is due at the time its flow's first
 * record was sent plus the difference of their arrival times. Measuring from a base, not from the previous record,
 * keeps the rate exact however late each send wakes up. The base is taken again (the record is sent at once) when the
 * gap to the flow's previous record is negative (the publisher's clock stepped) or longer than the bound, or when
 * sending has fallen more than the bound behind: long silences are not reproduced and a backlog is not replayed slowly.
 *
 * <p>One thread (the subscriber's); pure arithmetic on the times it is given.
 */
final class FlowPacer {

    private final long maxGapNanos;
    /** At most this many flows are paced at once; the one heard from longest ago is forgotten (its next record goes at once). */
    static final int MAX_FLOWS = 65_536;

    private final Map<RelayFlow, long[]> flows = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<RelayFlow, long[]> eldest) {
            return size() > MAX_FLOWS;
        }
    };

    private static final int BASE_ARRIVAL = 0;
    private static final int BASE_SEND = 1;
    private static final int LAST_ARRIVAL = 2;

    FlowPacer(long maxGapNanos) {
        this.maxGapNanos = maxGapNanos;
    }

    /**
     * When to send a record (on the caller's monotonic clock): {@code now} or later.
     *
     * @param arrivalNanos the record's arrival time at the publisher (its header)
     * @param now          the caller's clock now
     */
    long sendAt(RelayFlow flow, long arrivalNanos, long now) {
        long[] s = flows.get(flow);
        if (s == null) {
            flows.put(flow, new long[] {arrivalNanos, now, arrivalNanos});
            return now;
        }
        long gap = arrivalNanos - s[LAST_ARRIVAL];
        long due = s[BASE_SEND] + (arrivalNanos - s[BASE_ARRIVAL]);
        s[LAST_ARRIVAL] = arrivalNanos;
        if (gap < 0 || gap > maxGapNanos || now - due > maxGapNanos) {
            s[BASE_ARRIVAL] = arrivalNanos;
            s[BASE_SEND] = now;
            return now;
        }
        return Math.max(due, now);
    }

    int flows() {
        return flows.size();
    }
}
