package dev.mcgate.io;

import dev.mcgate.packet.LinkType;

/**
 * One opened interface: frames captured from it go to its {@link FrameHandler}, and frames can be sent out of it.
 */
public interface InterfacePort extends AutoCloseable {

    /** The interface as it was when the port was opened. */
    NetInterface netInterface();

    LinkType linkType();

    /**
     * Sends one frame (starting at the link-layer header of {@link #linkType()}) now, after any frames queued before
     * it ({@link #queue}). Thread-safe: sends are serialized per port. A failed send is counted, not thrown: a vanished interface must not take a capture thread down.
     *
     * @return true if the frame was handed to the kernel
     */
    boolean send(byte[] frame, int length);

    /**
     * Adds one frame to the port's transmit batch: the octets are copied before this returns, and the frame goes to the
     * kernel, after every frame queued or sent before it, at the latest on the next {@link #flush()} or
     * {@link #send}, earlier if the batch is full. Thread-safe. For frames of a capture thread, which flushes at the
     * end of each capture batch ({@link FrameHandler#onBatchEnd}); a port without a batch sends at once.
     *
     * @return false if the frame was refused at once (counted like a failed send)
     */
    default boolean queue(byte[] frame, int length) {
        return send(frame, length);
    }

    /**
     * Hands every queued frame to the kernel. Thread-safe.
     *
     * @return how many queued frames did not leave: refused by the kernel, or discarded because the port closed (they
     *         are counted in {@link PortCounters#sendErrors()})
     */
    default int flush() {
        return 0;
    }

    PortCounters counters();

    /**
     * The capture buffer the port has, in bytes, as {@link PacketIo#open} asked for it or as the kernel granted it if
     * it gave less; -1 where the port has none (an mcgate tunnel's UDP socket is sized apart).
     */
    default int captureBufferBytes() {
        return -1;
    }

    /**
     * As an upstream: whether datagrams of sources on the downstream LANs go out of it (RFC 4605 §4.2). An mcgate
     * tunnel says no: its far side asks for the flows it wants and never asks this side for any.
     */
    default boolean carriesLocalSources() {
        return true;
    }

    /**
     * Leaves the data frames matching a libpcap expression out of the capture, in the kernel (empty: take them in
     * again), on top of the filter the port was opened with; IGMP always stays in. The change takes effect between
     * two frames on the capture thread, soon after this returns.
     *
     * @return false if this port cannot (then those frames keep arriving)
     */
    default boolean leaveOutOfCapture(java.util.Optional<String> expression) {
        return false;
    }

    /**
     * Why the port's capture stopped by itself ({@link FrameHandler#onCaptureStopped}); empty while it captures, and
     * after a {@link #close()}. A port whose capture stopped receives nothing: it has failed, whatever else works.
     */
    default java.util.Optional<String> captureFailure() {
        return java.util.Optional.empty();
    }

    /** Stops capturing, waits for the capture thread to end and releases the handle. Idempotent. */
    @Override
    void close();
}
