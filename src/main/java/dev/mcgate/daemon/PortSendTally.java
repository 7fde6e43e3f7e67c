package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.io.InterfacePort;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a protocol engine's frames through a port and counts what left and what failed (a message that could not
 * be encoded counts as a failure too): the part the IGMP and MLD senders share. Failures are counted, never thrown.
 */
final class PortSendTally {

    private final InterfacePort port;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    PortSendTally(InterfacePort port) {
        this.port = port;
    }

    void sendAll(List<byte[]> frames) {
        for (byte[] frame : frames) {
            if (port.send(frame, frame.length)) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        }
    }

    /** A message that never became a frame. */
    void failed() {
        failed.incrementAndGet();
    }

    long sent() {
        return sent.get();
    }

    long failures() {
        return failed.get();
    }

    void recordInto(CounterRecorder out, Counter sentCounter, Counter failureCounter) {
        String name = port.netInterface().name();
        out.record(sentCounter, sent.get(), name);
        out.record(failureCounter, failed.get(), name);
    }
}
