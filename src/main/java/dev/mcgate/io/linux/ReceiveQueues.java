package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;

/**
 * How many receive queues an interface has, from the driver (ethtool's channel count through SIOCETHTOOL, which
 * answers for the calling thread's network namespace): an AF_XDP socket receives from one queue only.
 */
final class ReceiveQueues {

    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GCHANNELS = 0x3c;

    private ReceiveQueues() {}

    /**
     * The receive queues in use: RX-only channels plus combined ones; 1 where the driver does not say (most virtual
     * devices have one queue).
     */
    static int of(String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= 16) {
            return 1;
        }
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            return 1;
        }
        try (Memory ifreq = new Memory(LibC.IFREQ_SIZE);
                Memory channels = new Memory(36)) {
            // struct ethtool_channels { cmd; max_rx; max_tx; max_other; max_combined; rx_count; tx_count;
            // other_count; combined_count } (u32 each)
            channels.clear();
            channels.setInt(0, ETHTOOL_GCHANNELS);
            ifreq.clear();
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            ifreq.setPointer(16, channels);
            LibC.INSTANCE.ioctl(fd, new NativeLong(SIOCETHTOOL), ifreq);
            return Math.max(1, channels.getInt(20) + channels.getInt(32));
        } catch (LastErrorException e) {
            return 1;
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
