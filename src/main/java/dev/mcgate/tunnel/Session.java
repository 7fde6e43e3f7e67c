package dev.mcgate.tunnel;

/** One established (or pending) session: its id, the sealer of each direction, the send counter, the replay window. */
final class Session {

    final int id;
    final Sealer send;
    final Sealer receive;
    final ReplayWindow window = new ReplayWindow();
    final long createdNanos;
    private long nextCounter;

    Session(KeySchedule.SessionKeys keys, boolean weAreDownstream, long createdNanos) {
        this.id = keys.id();
        this.send = new Sealer(weAreDownstream ? keys.fromDownstream() : keys.fromUpstream());
        this.receive = new Sealer(weAreDownstream ? keys.fromUpstream() : keys.fromDownstream());
        this.createdNanos = createdNanos;
    }

    /** The next send counter: 0, 1, 2 ... never twice (a 64-bit counter does not wrap in a session's life). */
    long nextCounter() {
        return nextCounter++;
    }
}
