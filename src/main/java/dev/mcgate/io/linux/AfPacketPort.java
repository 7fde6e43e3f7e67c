package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mcgate.io.CaptureEnd;
import dev.mcgate.io.CaptureFaultForTests;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounter;
import dev.mcgate.io.PortCounters;
import dev.mcgate.io.PortTally;
import dev.mcgate.packet.LinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One packet socket: its capture thread reads frames in batches and hands each to the handler from one reused array,
 * then tells the handler the batch ended; frames to send are copied into the port's {@link PacketTransmitter} and leave
 * on the same socket with one {@code sendmmsg} per flush (the forwarder flushes at the end of each capture batch;
 * {@link #send} flushes at once).
 *
 * <p>With an AF_XDP socket ({@link XdpAttachment}), the thread takes multicast data from its RX ring and the rest
 * from the packet socket without blocking, and blocks in {@code poll} on both only when neither had a frame: the
 * frames of one wake-up from both sources make one batch.
 *
 * <p>Shutdown: {@link #close()} sets the stop flag; the capture thread sees it when {@code recvmmsg} returns, at the
 * latest after the socket's receive timeout; only after the thread has ended are the socket and its memory released,
 * so no call can reach a closed (and perhaps reused) descriptor.
 */
final class AfPacketPort implements InterfacePort {

    private static final Logger LOG = LoggerFactory.getLogger(AfPacketPort.class);
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final long ERROR_PAUSE_MS = 10;

    private final NetInterface netInterface;
    private final LinkType linkType;
    private final int fd;
    private final Memory block;
    private final ReceiveBatch batch;
    private final BatchDelivery delivery;
    /** The receive buffer the kernel granted. */
    private final int captureBufferBytes;

    private final PacketTransmitter transmit;
    private final Thread captureThread;
    private final PortTally tally = new PortTally();
    /** Guarded by this: the AF_XDP socket's drops as last read (its statistics count from the socket's start). */
    private long lastXdpDrops;
    /** Guarded by this: PACKET_STATISTICS resets on every read, so the drops are summed here. */
    private long kernelDrops;

    private final FrameHandler handler;
    /** Set when the capture thread ended by itself: the port has failed. */
    private final CaptureEnd end = new CaptureEnd();
    /** Null unless the engine receives multicast data through AF_XDP and the kernel allowed it here. */
    private final XdpAttachment xdp;
    /** struct pollfd for the packet socket, then one per AF_XDP socket (null without them). */
    private final Memory pollFds;

    private final XskSocket[] xsks;
    private final int wakeMillis;
    /** Null but in the end-to-end test that kills a capture thread on purpose. */
    private final CaptureFaultForTests fault;

    private volatile boolean stopping;
    private boolean closed;
    private boolean socketClosed;

    AfPacketPort(
            NetInterface netInterface,
            LinkType linkType,
            int fd,
            FrameHandler handler,
            AfPacketPacketIo.Options options,
            int slotSize,
            int captureBufferBytes,
            XdpAttachment xdp) {
        this.netInterface = netInterface;
        this.xdp = xdp;
        this.wakeMillis = options.wakeMillis();
        this.xsks = xdp == null ? new XskSocket[0] : xdp.sockets().toArray(new XskSocket[0]);
        this.pollFds = xdp == null ? null : pollFds(fd, xsks);
        this.captureBufferBytes = captureBufferBytes;
        this.linkType = linkType;
        this.fd = fd;
        this.block = new Memory(ReceiveBatch.bytesNeeded(options.batch(), slotSize));
        this.batch = new ReceiveBatch(
                block.getByteBuffer(0, block.size()),
                com.sun.jna.Pointer.nativeValue(block),
                options.batch(),
                slotSize);
        this.delivery = new BatchDelivery(this, handler, batch, slotSize, tally);
        // One slot per frame of a receive batch: a batch forwarded to this port is one sendmmsg.
        this.transmit = PacketTransmitter.onSocket(fd, netInterface, options.batch(), slotSize);
        this.handler = handler;
        this.fault = CaptureFaultForTests.forInterface(netInterface.name());
        this.captureThread = new Thread(this::captureLoop, "mcgate-capture-" + netInterface.name());
        this.captureThread.setDaemon(true);
    }

    void start() {
        captureThread.start();
    }

    /**
     * The capture thread: receive errors are counted and capture goes on, so it ends by itself only when something is
     * thrown (an Error too: the thread ends either way, and the port must say so rather than fall silent).
     */
    private void captureLoop() {
        try {
            capture();
        } catch (Throwable e) {
            if (!stopping) {
                end.stopped(this, handler, e.toString(), e);
            }
        }
    }

    private static Memory pollFds(int packetFd, XskSocket[] xsks) {
        Memory fds = new Memory(8L * (1 + xsks.length));
        fds.clear();
        for (int i = 0; i <= xsks.length; i++) {
            fds.setInt(8L * i, i == 0 ? packetFd : xsks[i - 1].fd());
            fds.setShort(8L * i + 4, XdpCalls.POLLIN);
        }
        return fds;
    }

    private void capture() {
        if (xdp != null) {
            captureWithXdp();
            return;
        }
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
            delivery.deliver(n);
            if (fault != null) {
                fault.framesDone(n);
            }
        }
    }

    private void captureWithXdp() {
        XskReceiver.FrameSink sink = delivery::deliverFrom;
        int used = batch.count();
        while (!stopping) {
            int fromXdp = 0;
            for (XskSocket xsk : xsks) {
                fromXdp += xsk.receive(sink, batch.count());
            }
            batch.rearm(used);
            int n;
            try {
                n = PacketSocketCalls.recvmmsg(fd, block, batch.count(), MSG_DONTWAIT, null);
            } catch (LastErrorException e) {
                n = 0;
                if (fromXdp == 0) {
                    receiveFailed(e.getErrorCode());
                } else {
                    // The AF_XDP rings have frames: count the failure, but do not pause their draining for it.
                    countReceiveFailure(e.getErrorCode());
                }
            }
            used = n;
            if (fromXdp > 0) {
                delivery.received(fromXdp);
            }
            if (n > 0) {
                delivery.deliver(n);
            } else if (fromXdp > 0) {
                delivery.endBatch();
            }
            if (fault != null && n + fromXdp > 0) {
                fault.framesDone(n + fromXdp);
            }
            if (n == 0 && fromXdp == 0) {
                waitForFrames();
            }
        }
    }

    /** Blocks until either socket has a frame, at most the wake interval (so a stop is seen in time). */
    private void waitForFrames() {
        try {
            XdpCalls.poll(pollFds, 1 + xsks.length, wakeMillis);
        } catch (LastErrorException e) {
            // EINTR, or nothing to wait on: the loop reads both sockets again either way.
        }
    }

    private void receiveFailed(int errno) {
        if (!countReceiveFailure(errno)) {
            return;
        }
        try {
            Thread.sleep(ERROR_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /**
     * Counts a failed receive (ENETDOWN when the interface goes down, and whatever else), logging the first; false for
     * the ones that are no failure (no frame yet, a signal, a stop).
     */
    private boolean countReceiveFailure(int errno) {
        if (errno == Errno.EAGAIN || errno == Errno.EINTR || stopping) {
            return false;
        }
        if (tally.increment(PortCounter.RECEIVE_ERRORS) == 0) {
            LOG.warn(
                    "{}: receiving failed ({}); further failures are only counted",
                    netInterface.name(),
                    Errno.describe(errno));
        }
        return true;
    }

    @Override
    public java.util.Optional<String> captureFailure() {
        return end.failure();
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
        long drops = kernelDrops;
        long xdpDrops = xdp == null || socketClosed ? lastXdpDrops : (lastXdpDrops = xdp.drops());
        return PortCounters.of(c -> switch (c) {
            case FRAMES_SENT -> transmit.sent();
            case SEND_ERRORS -> transmit.notSent();
            case SEND_CALLS -> transmit.sendCalls();
            case FULL_BATCHES -> transmit.fullBatches();
            case KERNEL_DROPS -> drops + xdpDrops;
            default -> tally.get(c);
        });
    }

    /** Caller holds this. */
    private void readKernelDrops() {
        try (Memory stats = new Memory(8)) {
            // struct tpacket_stats { unsigned tp_packets; unsigned tp_drops; }, reset by the kernel on each read.
            PacketSocketCalls.getsockopt(
                    fd, AfPacketPacketIo.SOL_PACKET, AfPacketPacketIo.PACKET_STATISTICS, stats, new int[] {8});
            kernelDrops += stats.getInt(4) & 0xffffffffL;
        } catch (LastErrorException e) {
            // The figure stays as last read.
        }
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
            LOG.warn(
                    "{}: capture thread did not stop within {} ms; socket left open",
                    netInterface.name(),
                    JOIN_TIMEOUT_MS);
            return;
        }
        synchronized (this) {
            // Other capture threads may still queue here: the closed transmitter refuses them (counted) before its
            // memory and the descriptor go.
            transmit.close();
            if (xdp != null) {
                lastXdpDrops = xdp.drops();
                xdp.close();
            }
            socketClosed = true;
            try {
                PacketSocketCalls.close(fd);
            } catch (LastErrorException e) {
                // The descriptor is gone either way.
            }
        }
        block.close();
        if (pollFds != null) {
            pollFds.close();
        }
    }
}
