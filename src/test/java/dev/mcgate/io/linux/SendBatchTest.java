package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sendmmsg vector's layout: each message names the destination and one iovec over its own slot and length. */
class SendBatchTest {

    private static final long BASE = 0x7f00_0000_0000L;
    private static final long DESTINATION = 0x7f00_1000_0000L;
    private static final int COUNT = 4;
    private static final int SLOT = 100;

    private final ByteBuffer block =
            ByteBuffer.allocateDirect(SendBatch.bytesNeeded(COUNT, SLOT)).order(ByteOrder.nativeOrder());
    private final SendBatch batch = new SendBatch(block, BASE, COUNT, SLOT, DESTINATION);

    private int at(long address) {
        long offset = address - BASE;
        assertTrue(offset >= 0 && offset < block.capacity(), "pointer outside the block: " + offset);
        return (int) offset;
    }

    @Test
    void everyMessageNamesTheDestinationAndOneIovecOverItsOwnSlot() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            int header = at(batch.messageAddress(i));
            assertEquals(i * ReceiveBatch.MMSGHDR_SIZE, header);
            assertEquals(DESTINATION, block.getLong(header));
            assertEquals(ReceiveBatch.SOCKADDR_LL_SIZE, block.getInt(header + 8));
            assertEquals(1, block.getLong(header + 24), "msg_iovlen");
            assertEquals(0, block.getLong(header + 32), "no control data");
            int iovec = at(block.getLong(header + 16));
            int slot = at(block.getLong(iovec));
            assertEquals(batch.frameOffset(i), slot);
            assertTrue(slot + SLOT <= block.capacity());
            assertTrue(slots.add(slot));
        }
    }

    @Test
    void aFrameIsCopiedToItsSlotAndItsLengthToItsIovec() {
        byte[] frame = {1, 2, 3, 4, 5, 6, 7};

        batch.put(2, frame, 5);

        int iovec = at(block.getLong(2 * ReceiveBatch.MMSGHDR_SIZE + 16));
        assertEquals(5, block.getLong(iovec + 8));
        byte[] copied = new byte[5];
        block.get(batch.frameOffset(2), copied);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, copied);
    }
}
