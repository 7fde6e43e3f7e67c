package dev.mcgate.io.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory one {@code sendmmsg} call reads: a vector of struct mmsghdr, each with one iovec pointing at its own
 * frame slot and all naming the same destination (struct sockaddr_ll), in one block allocated once per port.
 *
 * <p>Layout as in {@link ReceiveBatch} (LP64): mmsghdr 64 octets, iovec 16, then the slots. Frames are copied in
 * through a direct {@link ByteBuffer}: no JNI call and no allocation per frame.
 *
 * <p>Not thread-safe: its {@link TransmitQueue} serializes every use.
 */
final class SendBatch implements TransmitQueue.Slots {

    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_LEN = 56;

    private final int count;
    private final int slotSize;
    private final long baseAddress;
    private final ByteBuffer memory;
    private final int iovecs;
    private final int frames;

    /** The bytes a batch of {@code count} frames of at most {@code slotSize} octets needs. */
    static int bytesNeeded(int count, int slotSize) {
        return count * (ReceiveBatch.MMSGHDR_SIZE + ReceiveBatch.IOVEC_SIZE + slotSize);
    }

    /**
     * Lays the batch out in {@code memory} (at least {@link #bytesNeeded} octets), whose first octet is at native
     * address {@code baseAddress}; every message is addressed to the sockaddr_ll at {@code destinationAddress}.
     */
    SendBatch(ByteBuffer memory, long baseAddress, int count, int slotSize, long destinationAddress) {
        if (memory.capacity() < bytesNeeded(count, slotSize)) {
            throw new IllegalArgumentException("batch memory too small");
        }
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.count = count;
        this.slotSize = slotSize;
        this.baseAddress = baseAddress;
        this.iovecs = count * ReceiveBatch.MMSGHDR_SIZE;
        this.frames = iovecs + count * ReceiveBatch.IOVEC_SIZE;
        for (int i = 0; i < count; i++) {
            int header = i * ReceiveBatch.MMSGHDR_SIZE;
            int iovec = iovecs + i * ReceiveBatch.IOVEC_SIZE;
            for (int b = 0; b < ReceiveBatch.MMSGHDR_SIZE; b++) {
                memory.put(header + b, (byte) 0);
            }
            memory.putLong(header + MSG_NAME, destinationAddress);
            memory.putInt(header + MSG_NAMELEN, ReceiveBatch.SOCKADDR_LL_SIZE);
            memory.putLong(header + MSG_IOV, baseAddress + iovec);
            memory.putLong(header + MSG_IOVLEN, 1);
            memory.putLong(iovec, baseAddress + frameOffset(i));
            memory.putLong(iovec + 8, 0);
        }
    }

    @Override
    public int capacity() {
        return count;
    }

    @Override
    public int slotSize() {
        return slotSize;
    }

    /** Where frame {@code i}'s octets start in the block. */
    int frameOffset(int i) {
        return frames + i * slotSize;
    }

    @Override
    public void put(int i, byte[] frame, int length) {
        memory.put(frameOffset(i), frame, 0, length);
        memory.putLong(iovecs + i * ReceiveBatch.IOVEC_SIZE + 8, length);
    }

    /** The native address of message {@code i}: sendmmsg's vector argument for a call starting there. */
    long messageAddress(int i) {
        return baseAddress + (long) i * ReceiveBatch.MMSGHDR_SIZE;
    }

    /** The octets the kernel reported sent for message {@code i} (msg_len). */
    int sentLength(int i) {
        return memory.getInt(i * ReceiveBatch.MMSGHDR_SIZE + MSG_LEN);
    }
}
