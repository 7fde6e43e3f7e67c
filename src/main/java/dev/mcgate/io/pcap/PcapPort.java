package dev.mcgate.io.pcap;

import dev.mcgate.io.CaptureEnd;
import dev.mcgate.io.CaptureFaultForTests;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounter;
import dev.mcgate.io.PortCounters;
import dev.mcgate.io.PortTally;
import dev.mcgate.io.linux.PacketTransmitter;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.packet.LinkType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pcap handle: its capture thread hands raw frames to the handler; sends are serialized on the same handle.
 *
 * <p>Frames are read with {@code pcap_next_ex} into one reused array ({@link PcapNextEx}), not through pcap4j's
 * {@code loop()}, which allocates an array and crosses a JNA callback per frame. The handle is non-blocking, so the
 * thread sees when the frames that were ready are all read and tells the handler the batch ended
 * ({@link FrameHandler#onBatchEnd}) before it waits in poll(2).
 *
 * <p>Frames leave through a send-only packet socket beside the handle ({@link PacketTransmitter}): queued copies go out
 * with one {@code sendmmsg} per flush. libpcap has no batched send on Linux. Without that socket (it could not be
 * opened) frames are sent one by one from a native buffer of our own ({@link PcapInject}), and without that through
 * pcap4j's {@code sendPacket}, which copies the whole array both ways.
 *
 * <p>Shutdown follows pcap4j's locking: every handle call holds a read lock for the whole native call and
 * {@code close()} takes the write lock, so closing while the capture thread sits in {@code loop()} would block. We set
 * our own stop flag, break the loop, join the thread, and only then close.
 */
final class PcapPort implements InterfacePort {

    private static final Logger LOG = LoggerFactory.getLogger(PcapPort.class);
    private static final long JOIN_TIMEOUT_MS = 5_000;
    /** -Dmcgate.pcap.readWithLoop=true reads through pcap4j's loop(), as before pcap_next_ex: for comparing the two. */
    private static final boolean READ_WITH_LOOP = Boolean.getBoolean("mcgate.pcap.readWithLoop");
    /** How long the capture thread waits for frames before it looks at its stop flag again. */
    private static final int WAKE_MILLIS = 100;
    /** At most this many frames per batch, so that a busy ring does not hold copies back for long. */
    static final int MAX_BATCH = 64;

    private final NetInterface netInterface;
    private final LinkType linkType;
    private final PcapHandle handle;
    private final FrameHandler handler;
    private final int snapLength;
    /** libpcap's buffer size as asked for: the ring is built from it at activation and never resized. */
    private final int captureBufferBytes;
    /** Sends in batches on a packet socket of its own; null if it could not be opened (then the injector). */
    private final PacketTransmitter transmitter;
    /** Sends through pcap_sendpacket from our own native buffer; null if pcap4j hides its pcap_t. */
    private final PcapInject injector;

    private final Thread captureThread;
    private final Object sendLock = new Object();
    private final PortTally tally = new PortTally();
    /** A handler that fails on every frame must not write a line per frame: a few, then one every 10 s. */
    private final RateLimitedLog handlerFailures =
            new RateLimitedLog(LOG, new RateLimiter(3, Duration.ofSeconds(10), System::nanoTime));

    private final CaptureFilter filter;
    /** A filter change the capture thread applies between two frames (libpcap's filter is not for two threads). */
    private final AtomicReference<Optional<String>> pendingLeftOut = new AtomicReference<>();

    /** Set when the capture thread ended by itself: the port has failed. */
    private final CaptureEnd end = new CaptureEnd();
    /** Null but in the end-to-end test that kills a capture thread on purpose. */
    private final CaptureFaultForTests fault;

    private volatile boolean stopping;
    private volatile long lastKernelDrops = -1;
    private boolean closed;

    PcapPort(
            NetInterface netInterface,
            LinkType linkType,
            PcapHandle handle,
            FrameHandler handler,
            int snapLength,
            int captureBufferBytes,
            PacketTransmitter transmitter,
            CaptureFilter filter) {
        this.transmitter = transmitter;
        this.filter = filter;
        this.snapLength = snapLength;
        this.captureBufferBytes = captureBufferBytes;
        this.netInterface = netInterface;
        this.linkType = linkType;
        this.handle = handle;
        this.handler = handler;
        this.injector = PcapInject.of(handle);
        this.fault = CaptureFaultForTests.forInterface(netInterface.name());
        this.captureThread = new Thread(this::captureLoop, "mcgate-capture-" + netInterface.name());
        this.captureThread.setDaemon(true);
    }

    void start() {
        captureThread.start();
    }

    /**
     * The capture thread: captures until closed. If it ends otherwise (a read error, or anything thrown, an Error too:
     * the thread ends either way, and the port must say so rather than fall silent) the port has failed.
     */
    private void captureLoop() {
        String failure;
        Throwable cause = null;
        try {
            failure = capture();
        } catch (Throwable e) {
            failure = e.toString();
            cause = e;
        }
        if (!stopping) {
            end.stopped(this, handler, failure != null ? failure : "capture ended", cause);
        }
    }

    /** Captures until the stop flag is set (then returns null) or the handle fails (returns why). */
    private String capture() {
        PcapNextEx reader = READ_WITH_LOOP ? null : PcapNextEx.batching(handle);
        if (reader == null && READ_WITH_LOOP) {
            return loopCapture();
        }
        if (reader == null) {
            LOG.warn(
                    "{}: pcap4j does not expose its pcap_t; capturing through loop(), which allocates per frame",
                    netInterface.name());
            return loopCapture();
        }
        // One array for every frame: the handler borrows it for the call (FrameHandler's contract).
        byte[] frame = new byte[snapLength];
        boolean batches = reader.batches();
        int inBatch = 0;
        while (!stopping) {
            Optional<String> leftOut = pendingLeftOut.getAndSet(null);
            if (leftOut != null) {
                applyLeftOut(leftOut);
            }
            int length = reader.next(frame);
            if (length > 0) {
                tally.increment(PortCounter.FRAMES_RECEIVED);
                deliver(frame, length);
                if (fault != null) {
                    fault.framesDone(1);
                }
                // A blocking reader cannot tell whether more frames are ready: each frame is a batch of its own.
                if (!batches || ++inBatch == MAX_BATCH) {
                    endBatch();
                    inBatch = 0;
                }
                continue;
            }
            if (inBatch > 0) {
                endBatch();
                inBatch = 0;
            }
            if (length < 0 && length != PcapNextEx.BREAK) {
                return stopping ? null : lastError();
            }
            if (length == PcapNextEx.TIMEOUT && batches) {
                reader.awaitFrames(WAKE_MILLIS);
            }
            // Otherwise pcap_breakloop or a blocking read's timeout: look at the stop flag again.
        }
        return null;
    }

    private void endBatch() {
        try {
            handler.onBatchEnd(this);
        } catch (RuntimeException e) {
            tally.increment(PortCounter.HANDLER_ERRORS);
            handlerFailures.warn(netInterface.name() + ": frame handler failed at a batch end: " + e);
        }
    }

    @Override
    public boolean leaveOutOfCapture(Optional<String> expression) {
        if (filter != CaptureFilter.IGMP_AND_MULTICAST && filter != CaptureFilter.BOTH_FAMILIES
                || READ_WITH_LOOP
                || stopping) {
            return false;
        }
        pendingLeftOut.set(expression);
        try {
            // Wakes a capture blocked in poll(): pcap_next_ex returns, the loop applies the filter.
            handle.breakLoop();
        } catch (NotOpenException e) {
            return false;
        }
        return true;
    }

    /** Capture thread: frames already in the ring are filtered again in user space by libpcap (blocks_to_filter). */
    private void applyLeftOut(Optional<String> leftOut) {
        String bpf = PcapPacketIo.bpf(filter, linkType, netInterface, leftOut);
        try {
            handle.setFilter(bpf, BpfCompileMode.OPTIMIZE);
            tally.increment(PortCounter.CAPTURE_FILTER_CHANGES);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            LOG.warn(
                    "{}: capture filter not changed ({}); the forwarder skips the kernel's flows itself",
                    netInterface.name(),
                    e.getMessage());
        }
    }

    private String lastError() {
        try {
            return handle.getError();
        } catch (NotOpenException | RuntimeException e) {
            return "handle closed";
        }
    }

    /** pcap4j's own loop(), kept for a pcap4j whose handle cannot be read directly; returns as {@link #capture}. */
    private String loopCapture() {
        try {
            // A raw listener: pcap4j hands over a fresh array per frame and builds no Packet objects.
            handle.loop(-1, (byte[] frame) -> {
                tally.increment(PortCounter.FRAMES_RECEIVED);
                deliver(frame, frame.length);
                endBatch();
            });
        } catch (InterruptedException e) {
            // breakLoop() ends loop() this way: the normal path of close().
        } catch (PcapNativeException | NotOpenException e) {
            return stopping ? null : e.getMessage();
        }
        return stopping ? null : "pcap loop() returned";
    }

    private void deliver(byte[] frame, int length) {
        try {
            handler.onFrame(this, frame, length);
        } catch (RuntimeException e) {
            // One bad frame or handler bug must not end capture on the interface: count it, log a few.
            tally.increment(PortCounter.HANDLER_ERRORS);
            handlerFailures.warn(netInterface.name() + ": frame handler failed: " + e);
        }
    }

    @Override
    public Optional<String> captureFailure() {
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
        if (transmitter != null) {
            return transmitter.send(frame, length);
        }
        synchronized (sendLock) {
            if (stopping) {
                tally.increment(PortCounter.SEND_ERRORS);
                return false;
            }
            try {
                if (injector == null) {
                    handle.sendPacket(frame, length);
                } else if (!injector.send(frame, length)) {
                    tally.increment(PortCounter.SEND_ERRORS);
                    return false;
                }
                tally.increment(PortCounter.FRAMES_SENT);
                return true;
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                tally.increment(PortCounter.SEND_ERRORS);
                return false;
            }
        }
    }

    @Override
    public boolean queue(byte[] frame, int length) {
        return transmitter != null ? transmitter.queue(frame, length) : send(frame, length);
    }

    @Override
    public int flush() {
        return transmitter != null ? transmitter.flush() : 0;
    }

    @Override
    public PortCounters counters() {
        long drops = lastKernelDrops;
        if (!stopping) {
            try {
                PcapStat stat = handle.getStats();
                drops = stat.getNumPacketsDropped();
                lastKernelDrops = drops;
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                // The handle is going away; report the last figure seen.
            }
        }
        long kernelDrops = drops;
        // Frames go out through the transmitter when there is one, else one by one from here (the tally's figures).
        return PortCounters.of(c -> switch (c) {
            case FRAMES_SENT -> tally.get(c) + (transmitter != null ? transmitter.sent() : 0);
            case SEND_ERRORS -> tally.get(c) + (transmitter != null ? transmitter.notSent() : 0);
            case SEND_CALLS -> transmitter != null ? transmitter.sendCalls() : tally.get(PortCounter.FRAMES_SENT);
            case FULL_BATCHES -> transmitter != null ? transmitter.fullBatches() : 0;
            case KERNEL_DROPS -> kernelDrops;
            default -> tally.get(c);
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        counters();
        stopping = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed underneath us: nothing to break
        }
        try {
            captureThread.join(JOIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (captureThread.isAlive()) {
            // libpcap wakes a poll() blocked in loop() on breakloop; if it ever does not, say so rather than hang.
            LOG.warn(
                    "{}: capture thread did not stop within {} s",
                    netInterface.name(),
                    TimeUnit.MILLISECONDS.toSeconds(JOIN_TIMEOUT_MS));
            return;
        }
        if (transmitter != null) {
            // Refuses (and counts) what other capture threads still queue here, then closes its socket.
            transmitter.close();
        }
        synchronized (sendLock) {
            handle.close();
        }
    }
}
