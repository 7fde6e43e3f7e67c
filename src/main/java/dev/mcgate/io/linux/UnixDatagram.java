package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * AF_UNIX datagram sockets, which the JDK does not offer: sending one datagram to a path or an abstract name (written
 * {@code @name}, as systemd writes {@code $NOTIFY_SOCKET}), and a bound socket to receive them (tests, and a service
 * manager stand-in).
 */
public final class UnixDatagram implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    /** struct sockaddr_un: sa_family_t (2 bytes), then sun_path[108]. */
    private static final int SUN_PATH_OFFSET = 2;

    private static final int SUN_PATH_MAX = 108;

    private final int fd;
    private final String address;

    private UnixDatagram(int fd, String address) {
        this.fd = fd;
        this.address = address;
    }

    /** Sends {@code payload} as one datagram to {@code address} (a path, or {@code @name} for an abstract socket). */
    public static void send(String address, byte[] payload) throws IOException {
        int fd = open(address);
        try (Memory sa = sockaddr(address)) {
            LibC.INSTANCE.sendto(fd, payload, new NativeLong(payload.length), MSG_NOSIGNAL, sa, length(address));
        } catch (LastErrorException e) {
            throw new IOException("cannot send to " + address + " (errno " + e.getErrorCode() + ")");
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    /** A socket bound to {@code address}, to receive datagrams on. A path must not exist yet. */
    public static UnixDatagram bind(String address) throws IOException {
        int fd = open(address);
        try (Memory sa = sockaddr(address)) {
            LibC.INSTANCE.bind(fd, sa, length(address));
            return new UnixDatagram(fd, address);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IOException("cannot bind " + address + " (errno " + e.getErrorCode() + ")");
        }
    }

    public String address() {
        return address;
    }

    /** The next datagram, or empty if none comes within {@code timeoutMillis} (at least 1 ms). */
    public Optional<byte[]> receive(long timeoutMillis) throws IOException {
        long ms = Math.max(1, timeoutMillis);
        try (Memory tv = new Memory(16)) {
            tv.setLong(0, ms / 1000);
            tv.setLong(8, (ms % 1000) * 1000);
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            byte[] buffer = new byte[4096];
            int n = LibC.INSTANCE
                    .recv(fd, buffer, new NativeLong(buffer.length), 0)
                    .intValue();
            return Optional.of(Arrays.copyOf(buffer, n));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return Optional.empty();
            }
            throw new IOException("cannot receive on " + address + " (errno " + e.getErrorCode() + ")");
        }
    }

    @Override
    public void close() {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // The descriptor is gone either way.
        }
    }

    private static int open(String address) throws IOException {
        checkAddress(address);
        try {
            return LibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open an AF_UNIX socket (errno " + e.getErrorCode() + ")");
        }
    }

    static void checkAddress(String address) throws IOException {
        if (address.isEmpty() || !(address.startsWith("/") || address.startsWith("@"))) {
            throw new IOException("'" + address + "' is neither an absolute path nor an abstract name (@name)");
        }
        if (address.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH_MAX) {
            throw new IOException("'" + address + "' is longer than a Unix socket address can be");
        }
    }

    /** An abstract name starts with a NUL byte instead of '@' and has no terminating NUL (unix(7)). */
    private static Memory sockaddr(String address) {
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        Memory sa = new Memory(SUN_PATH_OFFSET + SUN_PATH_MAX);
        sa.clear();
        sa.setShort(0, (short) AF_UNIX);
        sa.write(SUN_PATH_OFFSET, path, 0, path.length);
        if (address.startsWith("@")) {
            sa.setByte(SUN_PATH_OFFSET, (byte) 0);
        }
        return sa;
    }

    private static int length(String address) {
        int bytes = address.getBytes(StandardCharsets.UTF_8).length;
        return SUN_PATH_OFFSET + bytes + (address.startsWith("@") ? 0 : 1);
    }
}
