package dev.mcgate.daemon;

import dev.mcgate.config.TunnelConfig;

/**
 * One configured mcgate tunnel as the loop keeps it: open (a port, and the key it was opened with) or not (why, and
 * since when on the loop's clock).
 *
 * @param notOpen   null when open
 * @param reopening a reload closed it (or found it not open) and opens it in its second half: no retry touches it
 */
record TunnelSlot(
        TunnelConfig config, TunnelPort port, byte[] key, String notOpen, long notOpenSince, boolean reopening) {

    /** The reason a reload's tunnel shows between the reload's two halves. */
    static final String REOPENING = "reopening for the reload";

    static TunnelSlot open(TunnelConfig config, TunnelPort port, byte[] key) {
        return new TunnelSlot(config, port, key, null, 0, false);
    }

    static TunnelSlot notOpen(TunnelConfig config, String reason, long sinceNanos) {
        return new TunnelSlot(config, null, null, reason, sinceNanos, false);
    }

    boolean open() {
        return port != null;
    }

    /** Not open for a reason of its own since {@link #notOpenSince} (not merely between a reload's halves). */
    boolean failing() {
        return !open() && !REOPENING.equals(notOpen);
    }
}
