package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The receive half of an AF_XDP socket against a simulated kernel on ordinary direct memory: the kernel takes frames
 * from the fill ring, copies packets into them past a headroom and posts them on the RX ring, as copy mode does. The
 * receiver hands over each packet's octets, lends every frame back aligned to its chunk, and keeps going across many
 * wraps of the free-running indexes.
 */
class XskReceiverTest {

    private static final int CHUNK = 2048;
    private static final int FRAMES = 8;
    private static final int HEADROOM = 256;
    /** Ring layout as the kernel's: producer, consumer on their own cache lines, then the entries. */
    private static final int PRODUCER = 0;

    private static final int CONSUMER = 64;
    private static final int ENTRIES = 128;

    /** The kernel's side of the two rings. */
    private static final class Kernel {
        final ByteBuffer rxMemory = ring(FRAMES / 2, 16);
        final ByteBuffer fillMemory = ring(FRAMES, 8);
        final ByteBuffer umem = ByteBuffer.allocateDirect(FRAMES * CHUNK).order(ByteOrder.nativeOrder());
        int fillConsumer;
        int rxProducer;

        static ByteBuffer ring(int size, int entrySize) {
            return ByteBuffer.allocateDirect(ENTRIES + size * entrySize).order(ByteOrder.nativeOrder());
        }

        /** Copies {@code packet} into the next lent frame and posts it; false if no frame is lent or RX is full. */
        boolean deliver(byte[] packet) {
            int lent = fillMemory.getInt(PRODUCER) - fillConsumer;
            int rxFree = FRAMES / 2 - (rxProducer - rxMemory.getInt(CONSUMER));
            if (lent <= 0 || rxFree <= 0) {
                return false;
            }
            long frame = fillMemory.getLong(ENTRIES + (fillConsumer & (FRAMES - 1)) * 8);
            fillConsumer++;
            umem.put((int) frame + HEADROOM, packet);
            int desc = ENTRIES + (rxProducer & (FRAMES / 2 - 1)) * 16;
            rxMemory.putLong(desc, frame + HEADROOM);
            rxMemory.putInt(desc + 8, packet.length);
            rxProducer++;
            rxMemory.putInt(PRODUCER, rxProducer);
            return true;
        }

        int lentFrames() {
            return fillMemory.getInt(PRODUCER) - fillConsumer;
        }
    }

    private final Kernel kernel = new Kernel();
    private final XskReceiver receiver = new XskReceiver(
            new XskRing(kernel.rxMemory, PRODUCER, CONSUMER, ENTRIES, FRAMES / 2, 16),
            new XskRing(kernel.fillMemory, PRODUCER, CONSUMER, ENTRIES, FRAMES, 8),
            kernel.umem,
            CHUNK,
            FRAMES);
    private final List<byte[]> received = new ArrayList<>();

    private int receive(int max) {
        return receiver.receive(
                (umem, offset, length) -> {
                    byte[] copy = new byte[length];
                    umem.get(offset, copy);
                    received.add(copy);
                },
                max);
    }

    private static byte[] packet(int n) {
        byte[] p = new byte[60 + n % 7];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (n * 31 + i);
        }
        return p;
    }

    @Test
    void everyFrameIsLentToTheKernelAtTheStartEachAtItsOwnChunk() {
        assertEquals(FRAMES, kernel.lentFrames());
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < FRAMES; i++) {
            addresses.add(kernel.fillMemory.getLong(ENTRIES + i * 8));
        }
        assertEquals(Set.of(0L, 2048L, 4096L, 6144L, 8192L, 10240L, 12288L, 14336L), addresses);
    }

    @Test
    void anEmptyRingHandsOverNothing() {
        assertEquals(0, receive(32));
        assertTrue(received.isEmpty());
    }

    @Test
    void packetsArriveWholeInOrderAcrossManyWrapsOfTheIndexes() {
        int sent = 0;
        for (int round = 0; round < 1000; round++) {
            int burst = 1 + round % (FRAMES / 2);
            for (int i = 0; i < burst; i++) {
                assertTrue(kernel.deliver(packet(sent++)), "the kernel always has a frame lent and room on RX");
            }
            assertEquals(burst, receive(32));
        }
        assertEquals(sent, received.size());
        for (int i = 0; i < sent; i++) {
            assertArrayEquals(packet(i), received.get(i), "packet " + i);
        }
        // Every frame went back to the kernel, aligned to its chunk.
        assertEquals(FRAMES, kernel.lentFrames());
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(0, kernel.fillMemory.getLong(ENTRIES + i * 8) % CHUNK);
        }
    }

    @Test
    void atMostMaxFramesPerCallAndTheRestOnTheNext() {
        for (int i = 0; i < FRAMES / 2; i++) {
            kernel.deliver(packet(i));
        }
        assertEquals(3, receive(3));
        assertEquals(FRAMES / 2 - 3, receive(3));
        assertEquals(0, receive(3));
        assertEquals(FRAMES / 2, received.size());
    }

    @Test
    void whatThisSideReadIsReleasedToTheKernel() {
        kernel.deliver(packet(1));
        kernel.deliver(packet(2));
        receive(32);
        assertEquals(2, kernel.rxMemory.getInt(CONSUMER));
        assertEquals(FRAMES + 2, kernel.fillMemory.getInt(PRODUCER));
    }
}
