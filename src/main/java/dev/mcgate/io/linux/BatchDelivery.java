package dev.mcgate.io.linux;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.PortCounter;
import dev.mcgate.io.PortTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the frames of one received batch to a port's handler, then ends the batch: skips outgoing frames, and counts
 * what it skips, what arrived cut and what the handler threw on. Capture thread only (one reused frame array).
 */
final class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);
    private static final int PACKET_OUTGOING = 4;

    private final InterfacePort port;
    private final FrameHandler handler;
    private final ReceiveBatch batch;
    private final byte[] frame;
    private final PortTally tally;

    BatchDelivery(InterfacePort port, FrameHandler handler, ReceiveBatch batch, int slotSize, PortTally tally) {
        this.port = port;
        this.handler = handler;
        this.batch = batch;
        this.frame = new byte[slotSize];
        this.tally = tally;
    }

    /** Delivers frames {@code 0..n-1} of the batch, then tells the handler the batch ended. */
    void deliver(int n) {
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            delivered += deliverOne(i);
        }
        tally.add(PortCounter.FRAMES_RECEIVED, delivered);
        endBatch();
    }

    /**
     * Hands one frame read from an AF_XDP socket's UMEM to the handler (copied into the reused array first: the
     * UMEM frame goes back to the kernel once this returns). The caller counts them ({@link #received}) and ends the
     * batch ({@link #deliver} or {@link #endBatch}).
     */
    void deliverFrom(java.nio.ByteBuffer umem, int offset, int length) {
        int copied = Math.min(length, frame.length);
        if (copied < length) {
            tally.increment(PortCounter.TRUNCATED_FRAMES);
        }
        umem.get(offset, frame, 0, copied);
        handOver(copied);
    }

    /** Counts {@code frames} handed over by {@link #deliverFrom}, as received and as received through AF_XDP. */
    void received(int frames) {
        tally.add(PortCounter.FRAMES_RECEIVED, frames);
        tally.add(PortCounter.XDP_FRAMES, frames);
    }

    /** Lets the handler send what it queued for this batch before the thread blocks again. */
    void endBatch() {
        try {
            handler.onBatchEnd(port);
        } catch (RuntimeException e) {
            if (tally.increment(PortCounter.HANDLER_ERRORS) == 0) {
                LOG.error(
                        "{}: frame handler failed at a batch end (further failures are only counted)",
                        port.netInterface().name(),
                        e);
            }
        }
    }

    /** 1 if frame {@code i} went to the handler, 0 if it was not input. */
    private int deliverOne(int i) {
        if (batch.packetType(i) == PACKET_OUTGOING) {
            // Only on a kernel without PACKET_IGNORE_OUTGOING whose filter let one through: never our input.
            tally.increment(PortCounter.OUTGOING_FRAMES);
            return 0;
        }
        if (batch.truncated(i)) {
            tally.increment(PortCounter.TRUNCATED_FRAMES);
        }
        handOver(batch.copyFrame(i, frame));
        return 1;
    }

    private void handOver(int length) {
        try {
            handler.onFrame(port, frame, length);
        } catch (RuntimeException e) {
            // One bad frame or handler bug must not end capture on the interface; count it, log the first.
            if (tally.increment(PortCounter.HANDLER_ERRORS) == 0) {
                LOG.error(
                        "{}: frame handler failed (further failures are only counted)",
                        port.netInterface().name(),
                        e);
            }
        }
    }
}
