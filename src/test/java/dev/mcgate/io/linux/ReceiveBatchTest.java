package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The recvmmsg vector's layout: every pointer the kernel follows lands inside the block on its own slot, and frames,
 * lengths, packet types and the truncation flag read back as the kernel writes them. The kernel's part is played by
 * writing into the block by hand at the offsets the pointers name.
 */
class ReceiveBatchTest {

    private static final long BASE = 0x7f00_0000_0000L;
    private static final int COUNT = 4;
    private static final int SLOT = 100;

    private final ByteBuffer block =
            ByteBuffer.allocateDirect(ReceiveBatch.bytesNeeded(COUNT, SLOT)).order(ByteOrder.nativeOrder());
    private final ReceiveBatch batch = new ReceiveBatch(block, BASE, COUNT, SLOT);

    private int at(long address) {
        long offset = address - BASE;
        assertTrue(offset >= 0 && offset < block.capacity(), "pointer outside the block: " + offset);
        return (int) offset;
    }

    @Test
    void everyMessageHasOneIovecOnItsOwnSlotAndAnAddressBuffer() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            int header = i * ReceiveBatch.MMSGHDR_SIZE;
            int name = at(block.getLong(header));
            assertEquals(ReceiveBatch.SOCKADDR_LL_SIZE, block.getInt(header + 8), "msg_namelen");
            int iovec = at(block.getLong(header + 16));
            assertEquals(1, block.getLong(header + 24), "msg_iovlen");
            assertEquals(0, block.getLong(header + 32), "no control data");
            int frame = at(block.getLong(iovec));
            assertEquals(SLOT, block.getLong(iovec + 8), "iov_len");
            assertEquals(batch.frameOffset(i), frame);
            assertTrue(frame + SLOT <= block.capacity());
            assertTrue(name + ReceiveBatch.SOCKADDR_LL_SIZE <= batch.frameOffset(0), "addresses before the frames");
            assertTrue(slots.add(frame / SLOT));
        }
    }

    /** Does what recvmmsg does for message {@code i}. */
    private void kernelWrites(int i, byte[] frame, int packetType, boolean truncated) {
        int header = i * ReceiveBatch.MMSGHDR_SIZE;
        int frameAt = at(block.getLong(at(block.getLong(header + 16))));
        int stored = Math.min(frame.length, SLOT);
        block.put(frameAt, frame, 0, stored);
        block.putInt(header + 56, stored);
        block.put(at(block.getLong(header)) + 10, (byte) packetType);
        block.putInt(header + 8, 18);
        block.putInt(header + 48, truncated ? ReceiveBatch.MSG_TRUNC : 0);
    }

    @Test
    void framesReadBackAsTheKernelStoredThem() {
        byte[] a = new byte[60];
        Arrays.fill(a, (byte) 0xaa);
        byte[] b = new byte[SLOT + 40];
        Arrays.fill(b, (byte) 0xbb);
        kernelWrites(0, a, 2, false);
        kernelWrites(1, b, 4, true);
        byte[] into = new byte[SLOT];
        assertEquals(60, batch.copyFrame(0, into));
        assertArrayEquals(a, Arrays.copyOf(into, 60));
        assertEquals(2, batch.packetType(0));
        assertFalse(batch.truncated(0));
        assertEquals(SLOT, batch.copyFrame(1, into));
        assertArrayEquals(Arrays.copyOf(b, SLOT), into);
        assertEquals(4, batch.packetType(1));
        assertTrue(batch.truncated(1));
    }

    @Test
    void rearmRestoresTheValueResultFields() {
        kernelWrites(0, new byte[10], 0, true);
        kernelWrites(1, new byte[10], 0, true);
        batch.rearm(1);
        assertEquals(ReceiveBatch.SOCKADDR_LL_SIZE, block.getInt(8));
        assertFalse(batch.truncated(0));
        assertEquals(18, block.getInt(ReceiveBatch.MMSGHDR_SIZE + 8), "only the used entries are touched");
        batch.rearm(2);
        assertFalse(batch.truncated(1));
    }

    @Test
    void aBlockTooSmallIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ReceiveBatch(ByteBuffer.allocateDirect(100), BASE, COUNT, SLOT));
    }
}
