package dev.mcgate.relay.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's global budget of queued payload bytes, summed over every client's {@link ClientQueue}: a bound on the
 * heap the relay's queues take, whatever the number of clients and their per-client bound. Going over it does not
 * refuse a datagram (that would punish whichever client's datagram came next); the server cuts the client with the most
 * queued until the sum is back under it.
 *
 * <p>Threads: any.
 */
final class QueueBudget {

    /**
     * 32 MB: a quarter of the service's 128 MB heap ({@code systemd/mcgate}, {@code lab.JvmFlags}), the rest being the
     * daemon's own state; 128 clients that all stopped reading at the default 256 KB each.
     */
    static final long DEFAULT_BYTES = 32L * 1024 * 1024;

    private final long limit;
    private final AtomicLong queued = new AtomicLong();

    QueueBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /** Bytes queued ({@code n > 0}) or written or discarded ({@code n < 0}). */
    void add(long n) {
        queued.addAndGet(n);
    }

    long queued() {
        return queued.get();
    }

    boolean over() {
        return queued.get() > limit;
    }
}
