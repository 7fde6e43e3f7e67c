package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.packet.LinkType;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One packet socket: its capture thread reads frames in batches and hands each to the handler from one reused array,
 * then tells the handler the batch ended; frames to send are copied into the port's {@link PacketTransmitter} and leave
 * on the same socket with one {@code sendmmsg} per flush (the forwarder flushes at the end of each capture batch;
 * {@link #send} flushes at once).
 *
 * <p>Shutdown: {@link #close()} sets the stop flag; the capture thread sees it when {@code recvmmsg} returns, at the
 * latest after the socket's receive timeout; only after the thread has ended are the socket and its memory released,
 * so no call can reach a closed (and perhaps reused) descriptor.
 */
final class AfPacketPort implements InterfacePort {

    private static final Logger LOG = LoggerFactory.getLogger(AfPacketPort.class);
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int PACKET_OUTGOING = 4;
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final long ERROR_PAUSE_MS = 10;

    private final NetInterface netInterface;
    private final LinkType linkType;
    private final int fd;
    private final FrameHandler handler;
    private final Memory block;
    private final ReceiveBatch batch;
    private final byte[] frame;
    /** The receive buffer the kernel granted. */
    private final int captureBufferBytes;
    private final PacketTransmitter transmit;
    private final Thread captureThread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong outgoingSeen = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    /** Guarded by this: PACKET_STATISTICS resets on every read, so the drops are summed here. */
    private long kernelDrops;
    private volatile boolean stopping;
    private boolean closed;
    private boolean socketClosed;

    AfPacketPort(NetInterface netInterface, LinkType linkType, int fd, FrameHandler handler,
            AfPacketPacketIo.Options options, int slotSize, int captureBufferBytes) {
        this.netInterface = netInterface;
        this.captureBufferBytes = captureBufferBytes;
        this.linkType = linkType;
        this.fd = fd;
        this.handler = handler;
        this.block = new Memory(ReceiveBatch.bytesNeeded(options.batch(), slotSize));
        this.batch = new ReceiveBatch(block.getByteBuffer(0, block.size()), com.sun.jna.Pointer.nativeValue(block),
                options.batch(), slotSize);
        this.frame = new byte[slotSize];
        // One slot per frame of a receive batch: a batch forwarded to this port is one sendmmsg.
        this.transmit = PacketTransmitter.onSocket(fd, netInterface, options.batch(), slotSize);
        this.captureThread = new Thread(this::captureLoop, "mcgate-capture-" + netInterface.name());
        this.captureThread.setDaemon(true);
    }

    void start() {
        captureThread.start();
    }

    private void captureLoop() {
        int used = batch.count();
        while (!stopping) {
            batch.rearm(used);
            int n;
            try {
                // MSG_WAITFORONE: block for the first frame only, then take what is queued, up to the batch size.
                n = PacketSocketCalls.recvmmsg(fd, block, batch.count(), MSG_WAITFORONE, null);
            } catch (LastErrorException e) {
                used = 0;
                receiveFailed(e.getErrorCode());
                continue;
            }
            used = n;
            int delivered = 0;
            for (int i = 0; i < n; i++) {
                delivered += deliver(i);
            }
            received.addAndGet(delivered);
            endBatch();
        }
    }

    /** Lets the handler send what it queued for this batch before the thread blocks again. */
    private void endBatch() {
        try {
            handler.onBatchEnd(this);
        } catch (RuntimeException e) {
            if (handlerErrors.getAndIncrement() == 0) {
                LOG.error("{}: frame handler failed at a batch end (further failures are only counted)",
                        netInterface.name(), e);
            }
        }
    }

    /** Hands frame {@code i} of the batch to the handler; 1 if it did, 0 if the frame was not input. */
    private int deliver(int i) {
        if (batch.packetType(i) == PACKET_OUTGOING) {
            // Only on a kernel without PACKET_IGNORE_OUTGOING whose filter let one through: never our input.
            outgoingSeen.incrementAndGet();
            return 0;
        }
        if (batch.truncated(i)) {
            truncated.incrementAndGet();
        }
        int length = batch.copyFrame(i, frame);
        try {
            handler.onFrame(this, frame, length);
        } catch (RuntimeException e) {
            // One bad frame or handler bug must not end capture on the interface; count it, log the first.
            if (handlerErrors.getAndIncrement() == 0) {
                LOG.error("{}: frame handler failed (further failures are only counted)", netInterface.name(), e);
            }
        }
        return 1;
    }

    private void receiveFailed(int errno) {
        if (errno == Errno.EAGAIN || errno == Errno.EINTR || stopping) {
            return;
        }
        // ENETDOWN when the interface goes down, and whatever else: counted, the first logged, and no busy loop.
        if (receiveErrors.getAndIncrement() == 0) {
            LOG.warn("{}: receiving failed ({}); further failures are only counted", netInterface.name(),
                    Errno.describe(errno));
        }
        try {
            Thread.sleep(ERROR_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    @Override
    public NetInterface netInterface() {
        return netInterface;
    }

    @Override
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public int captureBufferBytes() {
        return captureBufferBytes;
    }

    @Override
    public boolean send(byte[] frame, int length) {
        return transmit.send(frame, length);
    }

    @Override
    public boolean queue(byte[] frame, int length) {
        return transmit.queue(frame, length);
    }

    @Override
    public int flush() {
        return transmit.flush();
    }

    @Override
    public synchronized PortCounters counters() {
        if (!socketClosed) {
            readKernelDrops();
        }
        return new PortCounters(received.get(), transmit.sent(), transmit.notSent(), kernelDrops);
    }

    /** Caller holds this. */
    private void readKernelDrops() {
        try (Memory stats = new Memory(8)) {
            // struct tpacket_stats { unsigned tp_packets; unsigned tp_drops; }, reset by the kernel on each read.
            PacketSocketCalls.getsockopt(fd, AfPacketPacketIo.SOL_PACKET, AfPacketPacketIo.PACKET_STATISTICS, stats,
                    new int[] {8});
            kernelDrops += stats.getInt(4) & 0xffffffffL;
        } catch (LastErrorException e) {
            // The figure stays as last read.
        }
    }

    /** Frames whose handler threw. */
    long handlerErrors() {
        return handlerErrors.get();
    }

    /** Receive calls that failed for another reason than the wake-up timeout. */
    long receiveErrors() {
        return receiveErrors.get();
    }

    /** Outgoing frames that reached the socket and were dropped here (a kernel without PACKET_IGNORE_OUTGOING). */
    long outgoingSeen() {
        return outgoingSeen.get();
    }

    /** Frames longer than a slot, handed over cut. */
    long truncated() {
        return truncated.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            readKernelDrops();
        }
        stopping = true;
        try {
            captureThread.join(JOIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (captureThread.isAlive()) {
            // recvmmsg wakes on the receive timeout; if it ever does not, keep the socket rather than free memory
            // the thread may still write to.
            LOG.warn("{}: capture thread did not stop within {} ms; socket left open", netInterface.name(),
                    JOIN_TIMEOUT_MS);
            return;
        }
        synchronized (this) {
            // Other capture threads may still queue here: the closed transmitter refuses them (counted) before its
            // memory and the descriptor go.
            transmit.close();
            socketClosed = true;
            try {
                PacketSocketCalls.close(fd);
            } catch (LastErrorException e) {
                // The descriptor is gone either way.
            }
        }
        block.close();
    }
}
