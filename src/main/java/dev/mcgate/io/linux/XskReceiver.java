package dev.mcgate.io.linux;

import java.nio.ByteBuffer;

/**
 * The receive half of an AF_XDP socket's rings: takes filled frames from the RX ring, hands each to a sink, and lends
 * them back to the kernel through the fill ring, aligned down to their UMEM chunk (the RX descriptor's address points
 * past the headroom the kernel left).
 *
 * <p>Frames are lent back in the order they were taken, so as long as the fill ring can hold every UMEM frame it is
 * never full: a frame is in exactly one place, the fill ring, the kernel, the RX ring or here.
 *
 * <p>Capture thread only.
 */
final class XskReceiver {

    /** Receives a frame read from the RX ring; the buffer and offset are valid only for the call. */
    interface FrameSink {
        void frame(ByteBuffer umem, int offset, int length);
    }

    private final XskRing rx;
    private final XskRing fill;
    private final ByteBuffer umem;
    private final int chunk;
    private int rxConsumer;
    private int fillProducer;

    /**
     * @param frames how many UMEM frames of {@code chunk} octets there are; all are lent to the kernel now (the fill
     *     ring must hold that many)
     */
    XskReceiver(XskRing rx, XskRing fill, ByteBuffer umem, int chunk, int frames) {
        this.rx = rx;
        this.fill = fill;
        this.umem = umem;
        this.chunk = chunk;
        for (int i = 0; i < frames; i++) {
            fill.putLong(fill.entry(i), (long) i * chunk);
        }
        fillProducer = frames;
        fill.producerRelease(fillProducer);
    }

    /**
     * Hands up to {@code max} received frames to {@code sink}, then lends them back to the kernel.
     *
     * @return how many frames were handed over (0: the ring was empty)
     */
    int receive(FrameSink sink, int max) {
        int n = Math.min(rx.producerAcquire() - rxConsumer, max);
        if (n <= 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            int desc = rx.entry(rxConsumer + i);
            long address = rx.getLong(desc);
            int start = (int) (address & ~(long) (chunk - 1));
            // A length past the chunk would be a kernel bug; it must not make us read another frame.
            int length = Math.min(rx.getInt(desc + 8), start + chunk - (int) address);
            try {
                sink.frame(umem, (int) address, length);
            } finally {
                fill.putLong(fill.entry(fillProducer + i), start);
            }
        }
        rxConsumer += n;
        rx.consumerRelease(rxConsumer);
        fillProducer += n;
        fill.producerRelease(fillProducer);
        return n;
    }
}
