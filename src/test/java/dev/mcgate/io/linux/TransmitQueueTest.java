package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batching of a packet socket's sends, with the kernel played by hand: what each sendmmsg call is given, partial
 * sends, refusals, and the order frames leave in.
 */
class TransmitQueueTest {

    private static final int EPERM = 1;
    private static final int ENETDOWN = 100;

    /** Slots that remember the first octet of each frame; the "kernel" records calls and follows a script. */
    private final int[] slots = new int[4];

    private final List<Integer> wire = new ArrayList<>();
    private final List<Integer> callSizes = new ArrayList<>();
    /** Per call: how many to take (> 0), or -errno; empty: take all. */
    private final Deque<Integer> script = new ArrayDeque<>();

    private final TransmitQueue queue = new TransmitQueue(
            new TransmitQueue.Slots() {
                @Override
                public int capacity() {
                    return slots.length;
                }

                @Override
                public int slotSize() {
                    return 100;
                }

                @Override
                public void put(int i, byte[] frame, int length) {
                    slots[i] = frame[0];
                }
            },
            (first, count) -> {
                callSizes.add(count);
                int take = script.isEmpty() ? count : script.poll();
                if (take < 0) {
                    return take;
                }
                take = Math.min(take, count);
                for (int i = 0; i < take; i++) {
                    wire.add(slots[first + i]);
                }
                return take;
            });

    private static byte[] frame(int id) {
        byte[] f = new byte[60];
        f[0] = (byte) id;
        return f;
    }

    private void add(int... ids) {
        for (int id : ids) {
            assertTrue(queue.add(frame(id), 60));
        }
    }

    @Test
    void queuedFramesLeaveOnlyAtTheFlushInOneCallInOrder() {
        add(1, 2, 3);
        assertEquals(List.of(), wire);

        assertEquals(0, queue.flush());

        assertEquals(List.of(1, 2, 3), wire);
        assertEquals(List.of(3), callSizes, "one system call for the batch");
        assertEquals(3, queue.counters().sent());
        assertEquals(0, queue.queued());
    }

    @Test
    void aFullBatchIsSentBeforeTheNextFrameIsAdded() {
        add(1, 2, 3, 4);
        assertEquals(List.of(), wire);

        add(5);

        assertEquals(List.of(1, 2, 3, 4), wire);
        assertEquals(1, queue.counters().fullFlushes());
        queue.flush();
        assertEquals(List.of(1, 2, 3, 4, 5), wire);
    }

    @Test
    void anImmediateSendGoesOutAfterWhatWasQueued() {
        add(1, 2);

        assertTrue(queue.send(frame(9), 60));

        assertEquals(List.of(1, 2, 9), wire);
        assertEquals(0, queue.queued());
    }

    @Test
    void aPartialSendIsContinuedWhereTheKernelStopped() {
        add(1, 2, 3, 4);
        script.add(1);

        queue.flush();

        assertEquals(List.of(1, 2, 3, 4), wire);
        assertEquals(List.of(4, 3), callSizes);
    }

    @Test
    void aRefusedFrameIsCountedByErrnoAndTheRestStillLeave() {
        add(1, 2, 3);
        script.add(1);
        script.add(-ENETDOWN);

        assertEquals(1, queue.flush());

        assertEquals(List.of(1, 3), wire, "frame 2 refused, frame 3 still sent");
        TransmitQueue.Counters c = queue.counters();
        assertEquals(2, c.sent());
        assertEquals(1, c.failed());
        assertEquals(1, c.failedByErrno()[ENETDOWN]);
        assertEquals(ENETDOWN, c.lastErrno());
        assertEquals(1, c.notSent());
    }

    @Test
    void anImmediateSendSaysWhetherItsOwnFrameWasRefused() {
        add(1);
        script.add(-EPERM);

        assertTrue(queue.send(frame(2), 60), "frame 1 was refused, not frame 2");
        script.add(-EPERM);
        assertFalse(queue.send(frame(3), 60));
        assertEquals(List.of(2), wire);
        assertEquals(2, queue.counters().failedByErrno()[EPERM]);
    }

    @Test
    void anInterruptedCallIsRetried() {
        add(1);
        script.add(-Errno.EINTR);

        assertEquals(0, queue.flush());

        assertEquals(List.of(1), wire);
        assertEquals(0, queue.counters().failed());
    }

    @Test
    void framesThatDoNotFitASlotAreRefusedAndCounted() {
        assertFalse(queue.add(new byte[200], 200));
        assertFalse(queue.add(new byte[10], 0));
        assertFalse(queue.add(new byte[10], 11));

        assertEquals(3, queue.counters().refusedLength());
        assertEquals(3, queue.counters().notSent());
        assertEquals(0, queue.queued());
    }

    @Test
    void closingCountsWhatWasQueuedAndRefusesLaterFrames() {
        add(1, 2);

        queue.close();

        assertFalse(queue.add(frame(3), 60));
        assertFalse(queue.send(frame(4), 60));
        assertEquals(2, queue.flush(), "the next flush reports the discarded frames, so the sender can count them");
        assertEquals(0, queue.flush(), "once");
        assertEquals(List.of(), wire);
        assertEquals(List.of(), callSizes, "no system call on a closed socket");
        assertEquals(4, queue.counters().refusedClosed());
    }
}
