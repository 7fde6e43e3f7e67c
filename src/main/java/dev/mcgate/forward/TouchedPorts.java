package dev.mcgate.forward;

import dev.mcgate.io.InterfacePort;
import java.util.Arrays;

/**
 * The egress ports one capture thread queued frames on since its last batch end, each with its interface's counters:
 * at the batch end each is flushed once, so a capture batch costs one send call per egress port.
 *
 * <p>Not thread-safe: the {@link Forwarder} keeps one per capture thread, and only that thread uses it.
 */
final class TouchedPorts {

    private InterfacePort[] ports = new InterfacePort[4];
    private InterfaceTally[] tallies = new InterfaceTally[4];
    private int count;

    /** Remembers {@code port} (once per batch; a handful of ports, so a scan). */
    void add(InterfacePort port, InterfaceTally tally) {
        for (int i = 0; i < count; i++) {
            if (ports[i] == port) {
                return;
            }
        }
        if (count == ports.length) {
            // Only when a batch reaches more ports than ever before: not per packet.
            ports = Arrays.copyOf(ports, count * 2);
            tallies = Arrays.copyOf(tallies, count * 2);
        }
        ports[count] = port;
        tallies[count] = tally;
        count++;
    }

    /**
     * Flushes every remembered port and forgets them. Frames the port reports not sent at the flush (refused by the
     * kernel, or discarded by a closing port) were counted as sent when queued: they move to the interface's
     * send-failed count (their octets stay counted: the port does not say which
     * frames they were, nor of which flow).
     */
    void flushAll() {
        for (int i = 0; i < count; i++) {
            int failed = ports[i].flush();
            if (failed > 0) {
                tallies[i].sendFailedAfterQueueing(failed);
            }
            ports[i] = null;
            tallies[i] = null;
        }
        count = 0;
    }
}
