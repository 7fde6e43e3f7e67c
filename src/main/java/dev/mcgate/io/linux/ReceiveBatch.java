package dev.mcgate.io.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory one {@code recvmmsg} call fills: a vector of struct mmsghdr, each with one iovec pointing at its own
 * frame slot and a struct sockaddr_ll for the frame's packet type, all in one block allocated once per port.
 *
 * <p>Layout (x86-64 and aarch64, LP64): mmsghdr is a 56-octet msghdr plus the 4-octet msg_len, padded to 64; iovec
 * is 16; sockaddr_ll is 20 (padded to 24). The block is read back through a direct {@link ByteBuffer}, so handing a
 * frame over is a bounds-checked memory copy with no JNI call and no allocation.
 *
 * <p>Not thread-safe: the capture thread of one port owns it.
 */
final class ReceiveBatch {

    static final int MMSGHDR_SIZE = 64;
    static final int IOVEC_SIZE = 16;
    static final int SOCKADDR_LL_SIZE = 20;
    private static final int ADDRESS_SLOT = 24;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int SLL_PKTTYPE = 10;
    static final int MSG_TRUNC = 0x20;

    private final int count;
    private final int slotSize;
    private final ByteBuffer memory;
    private final int iovecs;
    private final int addresses;
    private final int frames;

    /** The bytes a batch of {@code count} frames of at most {@code slotSize} octets needs. */
    static int bytesNeeded(int count, int slotSize) {
        return count * (MMSGHDR_SIZE + IOVEC_SIZE + ADDRESS_SLOT + slotSize);
    }

    /**
     * Lays the batch out in {@code memory} (at least {@link #bytesNeeded} octets), whose first octet is at native
     * address {@code baseAddress}: the kernel follows the pointers written here.
     */
    ReceiveBatch(ByteBuffer memory, long baseAddress, int count, int slotSize) {
        if (memory.capacity() < bytesNeeded(count, slotSize)) {
            throw new IllegalArgumentException("batch memory too small");
        }
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.count = count;
        this.slotSize = slotSize;
        this.iovecs = count * MMSGHDR_SIZE;
        this.addresses = iovecs + count * IOVEC_SIZE;
        this.frames = addresses + count * ADDRESS_SLOT;
        for (int i = 0; i < count; i++) {
            int header = i * MMSGHDR_SIZE;
            int iovec = iovecs + i * IOVEC_SIZE;
            for (int b = 0; b < MMSGHDR_SIZE; b++) {
                memory.put(header + b, (byte) 0);
            }
            memory.putLong(header + MSG_NAME, baseAddress + addresses + (long) i * ADDRESS_SLOT);
            memory.putLong(header + MSG_IOV, baseAddress + iovec);
            memory.putLong(header + MSG_IOVLEN, 1);
            memory.putLong(iovec, baseAddress + frameOffset(i));
            memory.putLong(iovec + 8, slotSize);
        }
        rearm(count);
    }

    int count() {
        return count;
    }

    int slotSize() {
        return slotSize;
    }

    /** Where frame {@code i}'s octets start in the block. */
    int frameOffset(int i) {
        return frames + i * slotSize;
    }

    /**
     * Resets the value-result fields of the first {@code used} entries before the next call: the kernel wrote the
     * address length and flags back into them.
     */
    void rearm(int used) {
        for (int i = 0; i < used; i++) {
            int header = i * MMSGHDR_SIZE;
            memory.putInt(header + MSG_NAMELEN, SOCKADDR_LL_SIZE);
            memory.putInt(header + MSG_FLAGS, 0);
        }
    }

    /** The octets the kernel stored for frame {@code i} (at most the slot size). */
    int length(int i) {
        return Math.min(memory.getInt(i * MMSGHDR_SIZE + MSG_LEN), slotSize);
    }

    /** Whether frame {@code i} was longer than its slot. */
    boolean truncated(int i) {
        return (memory.getInt(i * MMSGHDR_SIZE + MSG_FLAGS) & MSG_TRUNC) != 0;
    }

    /** sll_pkttype of frame {@code i}: PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4. */
    int packetType(int i) {
        return memory.get(addresses + i * ADDRESS_SLOT + SLL_PKTTYPE) & 0xff;
    }

    /** Copies frame {@code i} to the start of {@code into}; returns its length. */
    int copyFrame(int i, byte[] into) {
        int length = Math.min(length(i), into.length);
        memory.get(frameOffset(i), into, 0, length);
        return length;
    }
}
