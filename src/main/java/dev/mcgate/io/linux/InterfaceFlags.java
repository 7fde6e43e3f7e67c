package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Reads an interface's MTU with SIOCGIFMTU (getifaddrs does not carry it), and names the IFF_* flag bits.
 *
 * <p>The ioctl answers for the calling thread's network namespace, unlike /sys, which shows the namespace it was
 * mounted in.
 */
final class InterfaceFlags {

    static final int IFF_UP = 0x1;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFF_POINTOPOINT = 0x10;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_MULTICAST = 0x1000;

    private InterfaceFlags() {}

    /** The MTU, or empty if the interface is gone. */
    static OptionalInt mtu(String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= 16) {
            return OptionalInt.empty();
        }
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        }
        try (Memory ifreq = new Memory(LibC.IFREQ_SIZE)) {
            ifreq.clear();
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            LibC.INSTANCE.ioctl(fd, new NativeLong(LibC.SIOCGIFMTU), ifreq);
            return OptionalInt.of(ifreq.getInt(16));
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
