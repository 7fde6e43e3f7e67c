package dev.mcgate.tunnel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One established (or pending) session: its id, who initiated it, its limits, the sealer of each direction, the send
 * counter, the replay window.
 * Immutable but for the counter (atomic: capture threads and the loop seal under it at once) and the window (its own
 * monitor, taken by the receive side only).
 */
final class Session {

    /** WireGuard's Rekey-After-Time: the side that initiated a session starts a new handshake after this long. */
    static final long REKEY_AFTER_NANOS = 120_000_000_000L;
    /** WireGuard's Reject-After-Time: a session this old sends and accepts nothing more. */
    static final long REJECT_AFTER_NANOS = 180_000_000_000L;
    /** Messages sent under one session before a new handshake is due (WireGuard's Rekey-After-Messages). */
    static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** Messages sent under one session after which it is refused: well short of AES-GCM's per-key limit. */
    static final long REJECT_AFTER_MESSAGES = 1L << 62;

    final int id;
    /** Whether this end sent the INIT: the initiator rekeys first, so the two ends rarely cross. */
    final boolean initiatedByUs;

    final Sealer send;
    final Sealer receive;
    final ReplayWindow window = new ReplayWindow();
    final long createdNanos;
    private final AtomicLong nextCounter = new AtomicLong();

    Session(KeySchedule.SessionKeys keys, boolean weAreDownstream, boolean initiatedByUs, long createdNanos) {
        this.id = keys.id();
        this.initiatedByUs = initiatedByUs;
        this.send = new Sealer(weAreDownstream ? keys.fromDownstream() : keys.fromUpstream());
        this.receive = new Sealer(weAreDownstream ? keys.fromUpstream() : keys.fromDownstream());
        this.createdNanos = createdNanos;
    }

    /** The next send counter: 0, 1, 2 ... never twice (a 64-bit counter does not wrap in a session's life). */
    long nextCounter() {
        return nextCounter.getAndIncrement();
    }

    /** Messages sent so far. */
    long sent() {
        return nextCounter.get();
    }

    /** Whether it may still send or receive at {@code nowNanos}: younger than the reject-after time. */
    boolean usableAt(long nowNanos) {
        return nowNanos - createdNanos < REJECT_AFTER_NANOS;
    }

    /** Tests only: as if {@code n} messages had been sent already (2^60 cannot be sent in a test). */
    void skipTo(long n) {
        nextCounter.set(n);
    }
}
