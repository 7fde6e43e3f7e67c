package dev.mcgate.lab;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tally of one receiver run: received, lost, duplicated and reordered datagrams (per sender, summed), one-way
 * latency percentiles, time from join to first datagram, and the TTLs seen. Pure: times come in as arguments.
 */
public final class ReceiveStats {

    /** Sources listed in the outputs; more are counted but not named. */
    static final int MAX_LISTED_SOURCES = 16;

    private final Map<Long, SequenceTracker> senders = new LinkedHashMap<>();
    private final Set<IpAddress> sources = new LinkedHashSet<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private long received;
    private long foreign;
    private long joinedMicros = -1;
    private long firstMicros = -1;
    private long lastMicros = -1;
    private int ttlMin = -1;
    private int ttlMax = -1;
    private long socketDrops = -1;
    private boolean kernelTimestamps;
    /** The datagrams are IPv6: what the summary calls TTL is their hop limit. */
    private boolean ipv6;

    private long lastSender;
    private SequenceTracker lastTracker;

    /** The join was issued at this wall time; the first datagram's delay is measured from here. */
    public void joinedAt(long micros) {
        joinedMicros = micros;
    }

    /**
     * Counts one lab datagram.
     *
     * @param receiveMicros when it arrived, wall clock, microseconds since the epoch
     * @param ttl the IPv4 TTL or IPv6 hop limit it arrived with, or -1 when unknown
     * @param source the IP source address
     */
    public void record(LabPayload payload, long receiveMicros, int ttl, IpAddress source) {
        received++;
        ipv6 = source.family() == IpFamily.IPV6;
        tracker(payload.senderId()).record(payload.sequence());
        latency.record(receiveMicros - payload.sendTimeMicros());
        if (firstMicros < 0) {
            firstMicros = receiveMicros;
        }
        lastMicros = Math.max(lastMicros, receiveMicros);
        if (ttl >= 0) {
            ttlMin = ttlMin < 0 ? ttl : Math.min(ttlMin, ttl);
            ttlMax = Math.max(ttlMax, ttl);
        }
        if (sources.size() < MAX_LISTED_SOURCES) {
            sources.add(source);
        }
    }

    /** Counts a datagram that is not a lab payload (another application on the same group and port). */
    public void recordForeign() {
        foreign++;
    }

    /** The socket's own drop counter (SO_RXQ_OVFL): datagrams the kernel discarded because we were too slow. */
    public void socketDrops(long drops) {
        socketDrops = drops;
    }

    /** Marks the receive times as kernel timestamps (taken on arrival) rather than read by the receiver. */
    public void kernelTimestamps(boolean kernel) {
        kernelTimestamps = kernel;
    }

    /** Lab datagrams received, duplicates included. */
    public long received() {
        return received;
    }

    /** Distinct (sender, sequence) pairs received. */
    public long unique() {
        return senders.values().stream().mapToLong(SequenceTracker::unique).sum();
    }

    public long lost() {
        return senders.values().stream().mapToLong(SequenceTracker::lost).sum();
    }

    public long duplicated() {
        return senders.values().stream().mapToLong(SequenceTracker::duplicated).sum();
    }

    public long reordered() {
        return senders.values().stream().mapToLong(SequenceTracker::reordered).sum();
    }

    public long foreign() {
        return foreign;
    }

    public int senderCount() {
        return senders.size();
    }

    /** One-way latency percentile in µs (see {@link LatencyHistogram#percentile}); -1 when nothing arrived. */
    public long latencyPercentile(double percent) {
        return latency.percentile(percent);
    }

    public long latencyMax() {
        return latency.max();
    }

    /** Milliseconds from the join to the first datagram; -1 when there was no join or no datagram. */
    public double firstAfterJoinMillis() {
        return joinedMicros < 0 || firstMicros < 0 ? -1 : (firstMicros - joinedMicros) / 1000.0;
    }

    public int ttlMin() {
        return ttlMin;
    }

    public int ttlMax() {
        return ttlMax;
    }

    /** Datagrams per second from the first to the last arrival; 0 with fewer than two. */
    public double receiveRate() {
        return received < 2 || lastMicros <= firstMicros ? 0 : (received - 1) * 1e6 / (lastMicros - firstMicros);
    }

    /** Lost as a percentage of expected (received + lost). */
    public double lossPercent() {
        long lost = lost();
        long expected = unique() + lost;
        return expected == 0 ? 0 : 100.0 * lost / expected;
    }

    /** A few human-readable lines. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "received %d datagram%s (%d distinct) from %d sender%s%s%n",
                received,
                received == 1 ? "" : "s",
                unique(),
                senders.size(),
                senders.size() == 1 ? "" : "s",
                sourcesText()));
        text.append(String.format(
                Locale.ROOT,
                "  lost %d (%.3f %%), duplicated %d, reordered %d, foreign %d",
                lost(),
                lossPercent(),
                duplicated(),
                reordered(),
                foreign));
        if (socketDrops >= 0) {
            text.append(", socket drops ").append(socketDrops);
        }
        text.append(System.lineSeparator());
        if (received > 0) {
            text.append(String.format(
                    Locale.ROOT,
                    "  latency us: p50 %d p90 %d p99 %d max %d (%s timestamps), %.1f/s%n",
                    latency.percentile(50),
                    latency.percentile(90),
                    latency.percentile(99),
                    latency.max(),
                    kernelTimestamps ? "kernel" : "user",
                    receiveRate()));
            text.append(String.format(
                    Locale.ROOT,
                    "  first datagram %s after join, %s %s%n",
                    joinedMicros < 0 ? "?" : String.format(Locale.ROOT, "%.3f ms", firstAfterJoinMillis()),
                    ipv6 ? "hop limit" : "TTL",
                    ttlMin < 0 ? "unknown" : ttlMin == ttlMax ? Integer.toString(ttlMin) : ttlMin + ".." + ttlMax));
        }
        return text.toString().stripTrailing();
    }

    /** The tally as the members of the current JSON object (the caller opens and closes it). */
    public void writeJsonFields(JsonWriter json) {
        json.field("received", received)
                .field("distinct", unique())
                .field("lost", lost())
                .field("lossPercent", Math.round(lossPercent() * 1000) / 1000.0)
                .field("duplicated", duplicated())
                .field("reordered", reordered())
                .field("foreign", foreign)
                .field("senders", senders.size());
        json.name("socketDrops");
        nullIfNegative(json, socketDrops);
        json.name("sources").beginArray();
        for (IpAddress source : sources) {
            json.value(source.toString());
        }
        json.endArray();
        json.name("latencyMicros");
        if (received == 0) {
            json.nullValue();
        } else {
            json.beginObject()
                    .field("p50", latency.percentile(50))
                    .field("p90", latency.percentile(90))
                    .field("p99", latency.percentile(99))
                    .field("max", latency.max())
                    .field("timestamps", kernelTimestamps ? "kernel" : "user")
                    .endObject();
        }
        json.name("firstAfterJoinMillis");
        if (firstAfterJoinMillis() < 0) {
            json.nullValue();
        } else {
            json.value(firstAfterJoinMillis());
        }
        json.name("ttlMin");
        nullIfNegative(json, ttlMin);
        json.name("ttlMax");
        nullIfNegative(json, ttlMax);
        json.field("receiveRate", Math.round(receiveRate() * 10) / 10.0);
    }

    private static void nullIfNegative(JsonWriter json, long value) {
        if (value < 0) {
            json.nullValue();
        } else {
            json.value(value);
        }
    }

    private String sourcesText() {
        if (sources.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (source");
        text.append(sources.size() == 1 ? " " : "s ");
        String separator = "";
        for (IpAddress source : sources) {
            text.append(separator).append(source);
            separator = ", ";
        }
        return text.append(')').toString();
    }

    // Almost every datagram comes from the sender of the previous one: skip the map lookup and boxing then.
    private SequenceTracker tracker(long senderId) {
        if (lastTracker == null || senderId != lastSender) {
            lastTracker = senders.computeIfAbsent(senderId, id -> new SequenceTracker());
            lastSender = senderId;
        }
        return lastTracker;
    }
}
