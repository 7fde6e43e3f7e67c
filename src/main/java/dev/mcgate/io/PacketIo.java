package dev.mcgate.io;

import java.io.IOException;

/**
 * The port through which mcgate captures and injects frames: pcap on a real system, {@link SimulatedLan} in tests.
 */
public interface PacketIo {

    /**
     * Opens an interface for capture and sending. Frames passing {@code filter} that arrived on the interface (never
     * the ones this port sent) are handed to {@code handler} on a capture thread owned by the port.
     *
     * @param captureBufferBytes how much the kernel may hold for the port while its capture thread is not reading
     *                           (libpcap's buffer size, a packet socket's SO_RCVBUF)
     * @throws IOException if the interface does not exist or cannot be opened (the message says why)
     */
    InterfacePort open(NetInterface netInterface, CaptureFilter filter, int captureBufferBytes, FrameHandler handler)
            throws IOException;

    /** Opens with the capture buffer that the traffic passing {@code filter} needs ({@link CaptureLoad#of}). */
    default InterfacePort open(NetInterface netInterface, CaptureFilter filter, FrameHandler handler)
            throws IOException {
        return open(netInterface, filter, CaptureLoad.of(filter).bufferBytes(netInterface.mtu()), handler);
    }
}
