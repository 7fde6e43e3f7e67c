package dev.mcgate.tunnel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands control messages from a tunnel's receive thread to the loop, at most {@link #LIMIT} waiting at a time, so that
 * a flood of authentic-looking control messages (replayed handshakes) cannot fill the loop's inbox for everyone, nor
 * make the receive thread wait: what does not fit is refused at once, and the caller counts it.
 */
final class ControlInbox {

    /** Control messages of one tunnel waiting for the loop; a handshake needs two, a large membership a few more. */
    static final int LIMIT = 32;

    private final TunnelEndpoint.Inbox loop;
    private final AtomicInteger waiting = new AtomicInteger();

    ControlInbox(TunnelEndpoint.Inbox loop) {
        this.loop = loop;
    }

    /** Posts {@code task} to the loop under the name {@code event}; false if it was refused (full here or there). */
    boolean offer(String event, Runnable task) {
        if (waiting.incrementAndGet() > LIMIT) {
            waiting.decrementAndGet();
            return false;
        }
        boolean posted = loop.post(event, () -> {
            waiting.decrementAndGet();
            task.run();
        });
        if (!posted) {
            waiting.decrementAndGet();
        }
        return posted;
    }

    /** Tasks posted and not yet run. */
    int waiting() {
        return waiting.get();
    }
}
