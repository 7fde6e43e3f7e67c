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
     * @throws IOException if the interface does not exist or cannot be opened (the message says why)
     */
    InterfacePort open(NetInterface netInterface, CaptureFilter filter, FrameHandler handler) throws IOException;
}
