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

    /** Changed by a reload ({@code http-queue-budget}): holds at once. */
    private volatile long limit;

    private final AtomicLong queued = new AtomicLong();

    QueueBudget(long limit) {
        limit(limit);
    }

    /** The bound from now on: over a lowered one, the server cuts clients until the sum is under it. */
    void limit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("limit " + bytes);
        }
        this.limit = bytes;
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
