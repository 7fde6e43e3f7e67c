package dev.mcgate.tunnel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One established (or pending) session: its id, the sealer of each direction, the send counter, the replay window.
 * Immutable but for the counter (atomic: capture threads and the loop seal under it at once) and the window (its own
 * monitor, taken by the receive side only).
 */
final class Session {

    final int id;
    final Sealer send;
    final Sealer receive;
    final ReplayWindow window = new ReplayWindow();
    final long createdNanos;
    private final AtomicLong nextCounter = new AtomicLong();

    Session(KeySchedule.SessionKeys keys, boolean weAreDownstream, long createdNanos) {
        this.id = keys.id();
        this.send = new Sealer(weAreDownstream ? keys.fromDownstream() : keys.fromUpstream());
        this.receive = new Sealer(weAreDownstream ? keys.fromUpstream() : keys.fromDownstream());
        this.createdNanos = createdNanos;
    }

    /** The next send counter: 0, 1, 2 ... never twice (a 64-bit counter does not wrap in a session's life). */
    long nextCounter() {
        return nextCounter.getAndIncrement();
    }
}
