package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.time.TokenBucket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides, on the capture thread, which IGMP messages may go to the event loop: per interface at most its
 * {@code igmp-rate-limit} a second, and at most a fair share of the loop's inbox waiting at once. The rest is dropped
 * and counted per interface ({@link IgmpAdmissionCounter}).
 *
 * <p>Why before the loop: one LAN flooding reports filled the shared inbox, so the other LANs' joins and every
 * control request waited or were dropped. Capture threads admit; the loop configures and tells when a message left the
 * inbox.
 */
final class IgmpAdmission {

    /** The least share of the inbox an interface gets, however many interfaces there are. */
    static final int MIN_SHARE = 64;

    /** One interface's bucket, its messages in the inbox and its drops. */
    static final class Lane {
        private volatile TokenBucket bucket;
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicLong rateLimited = new AtomicLong();
        private final AtomicLong overShare = new AtomicLong();

        private Lane(TokenBucket bucket) {
            this.bucket = bucket;
        }

        /** Loop thread: an admitted message was taken from the inbox (or will never be). */
        void left() {
            queued.decrementAndGet();
        }
    }

    private final int inboxCapacity;
    private final LongSupplier nanoClock;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private volatile int share;

    /** @param inboxCapacity the loop's inbox, shared out among the interfaces */
    IgmpAdmission(int inboxCapacity, LongSupplier nanoClock) {
        this.inboxCapacity = inboxCapacity;
        this.nanoClock = nanoClock;
        this.share = Math.max(MIN_SHARE, inboxCapacity / 2);
    }

    /**
     * Loop thread: the interface's rate (when it opens, or a reload changed it), and the inbox shared out anew among
     * {@code interfaces} interfaces; a quarter of the inbox at least is kept for everything else.
     */
    void configure(String ifName, int ratePerSecond, int interfaces) {
        Lane lane = lanes.get(ifName);
        if (lane == null) {
            lanes.put(ifName, new Lane(new TokenBucket(ratePerSecond, nanoClock)));
        } else if (lane.bucket.rate() != ratePerSecond) {
            lane.bucket = new TokenBucket(ratePerSecond, nanoClock);
        }
        share = Math.max(MIN_SHARE, inboxCapacity * 3 / 4 / Math.max(1, interfaces));
    }

    /**
     * Capture thread: one IGMP message heard.
     *
     * @return its lane, whose {@link Lane#left} the loop must call when it takes the message; null if it is dropped
     *     (counted), or the interface was never configured (the loop would drop it anyway)
     */
    Lane admit(String ifName) {
        Lane lane = lanes.get(ifName);
        if (lane == null) {
            return null;
        }
        if (!lane.bucket.tryTake()) {
            lane.rateLimited.incrementAndGet();
            return null;
        }
        if (lane.queued.incrementAndGet() > share) {
            lane.queued.decrementAndGet();
            lane.overShare.incrementAndGet();
            return null;
        }
        return lane;
    }

    /** Any thread: the messages of an interface waiting in the loop's inbox now. */
    int queued(String ifName) {
        Lane lane = lanes.get(ifName);
        return lane == null ? 0 : lane.queued.get();
    }

    /** Any thread: each interface's drops. */
    void recordInto(CounterRecorder out) {
        new TreeMap<>(lanes).forEach((name, lane) -> {
            out.record(IgmpAdmissionCounter.RATE_LIMITED, lane.rateLimited.get(), name);
            out.record(IgmpAdmissionCounter.INBOX_SHARE, lane.overShare.get(), name);
        });
    }
}
