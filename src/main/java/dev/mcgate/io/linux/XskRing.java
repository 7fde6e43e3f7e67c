package dev.mcgate.io.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One AF_XDP ring as the kernel maps it: a producer and a consumer index (free-running u32) and a power-of-two array
 * of entries. The side that reads an index the other side writes does so with acquire semantics, and publishes its
 * own with release semantics, so entries are never read before they are written or reused before they are read.
 *
 * <p>One thread only (the port's capture thread); the kernel is the other side.
 */
final class XskRing {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer memory;
    private final int producer;
    private final int consumer;
    private final int entries;
    private final int mask;
    private final int entrySize;

    /**
     * @param memory    the mapping, native order
     * @param producer  offsets of the producer and consumer indexes and of the entries (XDP_MMAP_OFFSETS)
     * @param entrySize 16 (struct xdp_desc) for RX and TX rings, 8 (a umem address) for fill and completion rings
     */
    XskRing(ByteBuffer memory, int producer, int consumer, int entriesOffset, int size, int entrySize) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + size);
        }
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.producer = producer;
        this.consumer = consumer;
        this.entries = entriesOffset;
        this.mask = size - 1;
        this.entrySize = entrySize;
    }

    int producerAcquire() {
        return (int) INT.getAcquire(memory, producer);
    }

    void producerRelease(int value) {
        INT.setRelease(memory, producer, value);
    }

    void consumerRelease(int value) {
        INT.setRelease(memory, consumer, value);
    }

    /** Where entry {@code index} (free-running) starts in the mapping. */
    int entry(int index) {
        return entries + (index & mask) * entrySize;
    }

    long getLong(int offset) {
        return memory.getLong(offset);
    }

    int getInt(int offset) {
        return memory.getInt(offset);
    }

    void putLong(int offset, long value) {
        memory.putLong(offset, value);
    }
}
