package dev.mcgate.forward;

import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.SOURCE_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Subscription;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Copies are queued on their egress ports and leave at the arrival port's batch end: one flush per egress port that got
 * copies, in arrival order, and a copy the kernel refuses at the flush moves from "sent" to "send failed".
 */
class ForwarderBatchTest {

    private long now = 5_000_000_000L;
    private final Forwarder forwarder = new Forwarder(() -> now, ForwarderOptions.DEFAULTS, w -> {});
    private final RecordingPort up0 = new RecordingPort(Lab.UP0);
    private final BatchingPort down1 = new BatchingPort(Lab.DOWN1);
    private final BatchingPort down2 = new BatchingPort(Lab.DOWN2);

    @BeforeEach
    void attach() {
        forwarder.attach(up0);
        forwarder.attach(down1);
        forwarder.attach(down2);
    }

    private void down1Wants() {
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
    }

    /** Datagram {@code seq} of the source, 1 ms after the previous one. */
    private void arrive(int seq) {
        now += 1_000_000L;
        byte[] frame = Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 20, seq);
        forwarder.onFrame(up0, frame, frame.length);
    }

    private static int seqOf(byte[] frame) {
        // The payload starts with the seed (Frames.udpPacket): it tells the datagrams apart.
        return frame[Frames.ETH + 28];
    }

    @Test
    void nothingLeavesBeforeTheBatchEndsAndEverythingLeavesAtItsEndInOrder() {
        down1Wants();
        for (int seq = 1; seq <= 5; seq++) {
            arrive(seq);
        }
        assertEquals(0, down1.sent.size(), "sent before the batch ended");
        assertEquals(5, down1.queued.size());

        forwarder.onBatchEnd(up0);

        assertEquals(1, down1.flushes, "one flush per egress port and batch");
        assertEquals(5, down1.sent.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, seqOf(down1.sent.get(i)), "order");
        }
        assertEquals(0, down2.flushes, "a port that got no copy is not flushed");
        assertEquals(
                5, forwarder.counters().interfaceNamed("down1").orElseThrow().sent());
    }

    @Test
    void eachBatchFlushesOnlyWhatItQueued() {
        down1Wants();
        arrive(1);
        forwarder.onBatchEnd(up0);
        forwarder.onBatchEnd(up0);
        arrive(2);
        forwarder.onBatchEnd(up0);

        assertEquals(2, down1.flushes, "an empty batch flushes nothing");
        assertEquals(2, down1.sent.size());
    }

    @Test
    void aCopyRefusedAtTheFlushIsCountedAsSendFailedNotAsSent() {
        down1Wants();
        arrive(1);
        arrive(2);
        arrive(3);
        down1.failNextFlush = 1;

        forwarder.onBatchEnd(up0);

        InterfaceCounters c = forwarder.counters().interfaceNamed("down1").orElseThrow();
        assertEquals(2, c.sent());
        assertEquals(1, c.notSent(DropReason.SEND_FAILED));
        assertEquals(1, down1.counters().sendErrors(), "and the port counted it");
    }

    @Test
    void copiesQueuedBeforeTheirArrivalPortIsDetachedStillLeaveAtTheBatchEnd() {
        down1Wants();
        arrive(1);
        forwarder.detach(up0);

        forwarder.onBatchEnd(up0);

        assertEquals(1, down1.sent.size());
    }

    @Test
    void aBatchEndsForEveryPortTheThreadQueuedOn() {
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());
        arrive(1);
        arrive(2);

        forwarder.onBatchEnd(up0);

        assertEquals(1, down1.flushes);
        assertEquals(1, down2.flushes);
        assertTrue(down1.queued.isEmpty() && down2.queued.isEmpty());
        assertEquals(2, down2.sent.size());
    }
}
