package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaPublishRule;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue between the threads that offer datagrams (capture threads) and the one publisher thread, bounded
 * both in datagrams and in payload bytes. Offering never waits: a datagram that does not fit is refused, and the
 * caller counts it.
 */
final class Handoff {

    /** A datagram waiting to be published: its payload is a copy, so the capture buffer can be reused at once. */
    record Datagram(RelayFlow flow, KafkaPublishRule rule, int sourcePort, byte[] payload, long arrivalNanos) {}

    private final ArrayBlockingQueue<Datagram> queue;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    Handoff(int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(maxRecords);
        this.maxBytes = maxBytes;
    }

    /**
     * Copies the payload's remaining bytes (its position is left alone) and queues them, or returns false at once if
     * either bound would be passed. Space is reserved before the copy, so a full queue costs no allocation.
     */
    boolean offer(RelayFlow flow, KafkaPublishRule rule, int sourcePort, ByteBuffer payload, long arrivalNanos) {
        int length = payload.remaining();
        if (!reserve(length)) {
            return false;
        }
        byte[] copy = new byte[length];
        payload.get(payload.position(), copy);
        if (!queue.offer(new Datagram(flow, rule, sourcePort, copy, arrivalNanos))) {
            bytes.addAndGet(-length);
            return false;
        }
        return true;
    }

    private boolean reserve(int length) {
        while (true) {
            long now = bytes.get();
            if (now + length > maxBytes) {
                return false;
            }
            if (bytes.compareAndSet(now, now + length)) {
                return true;
            }
        }
    }

    /** The oldest datagram, waiting up to the timeout; null if none came. */
    Datagram poll(long timeout, TimeUnit unit) throws InterruptedException {
        Datagram d = queue.poll(timeout, unit);
        if (d != null) {
            bytes.addAndGet(-d.payload().length);
        }
        return d;
    }

    /** The oldest datagram, or null at once. */
    Datagram poll() {
        Datagram d = queue.poll();
        if (d != null) {
            bytes.addAndGet(-d.payload().length);
        }
        return d;
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes.get();
    }
}
