package dev.mcgate.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket opened through libc (JNA) so that we can ask for what Java's DatagramChannel hides: the TTL each
 * datagram arrived with (IP_RECVTTL), the kernel's arrival timestamp (SO_TIMESTAMPNS) and the socket's drop
 * counter (SO_RXQ_OVFL), all read from the control messages of recvmsg(2). Joins go through
 * MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP, which name the interface by index, so an interface without an IPv4
 * address can still be joined on. 64-bit Linux only (the struct layouts below assume LP64).
 */
final class LinuxMulticastSocket implements AutoCloseable {

    // Values from <asm-generic/socket.h> and <linux/in.h>, the same on x86_64 and aarch64.
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int IPPROTO_IP = 0;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_TIMESTAMPNS = 35;
    private static final int SO_RXQ_OVFL = 40;
    private static final int IP_TTL = 2;
    private static final int IP_RECVTTL = 12;
    private static final int MCAST_JOIN_GROUP = 42;
    private static final int MCAST_JOIN_SOURCE_GROUP = 46;
    private static final int IP_MULTICAST_ALL = 49;
    private static final int MSG_TRUNC = 0x20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EPERM = 1;

    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_STORAGE_SIZE = 128;
    private static final int CMSG_HEADER_SIZE = 16; // size_t len, int level, int type
    private static final int MAX_DATAGRAM = 65536;

    private final int fd;
    private final Memory data = new Memory(MAX_DATAGRAM);
    private final ByteBuffer dataView = data.getByteBuffer(0, MAX_DATAGRAM).order(ByteOrder.BIG_ENDIAN);
    private final Memory name = new Memory(SOCKADDR_IN_SIZE);
    private final Memory control = new Memory(256);
    private final Memory iov = new Memory(16);
    private final Memory msg = new Memory(56);
    private boolean closed;

    private LinuxMulticastSocket(int fd) {
        this.fd = fd;
        // struct iovec { void *iov_base; size_t iov_len; }
        iov.setPointer(0, data);
        iov.setLong(8, MAX_DATAGRAM);
        // struct msghdr { void *name; socklen_t namelen; (pad) struct iovec *iov; size_t iovlen;
        //                 void *control; size_t controllen; int flags; (pad) } = 56 bytes on LP64
        msg.clear();
        msg.setPointer(0, name);
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
    }

    /**
     * Opens a UDP socket bound to {@code address:port} (bind the group address, so that only datagrams to this
     * group arrive) with SO_REUSEADDR, so several receivers can share the port.
     */
    static LinuxMulticastSocket bind(Ip4 address, int port) throws IOException {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            throw new IOException("the lab receiver needs 64-bit Linux (it reads TTLs through recvmsg)");
        }
        int fd = call("socket", () -> LibC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        LinuxMulticastSocket socket = new LinuxMulticastSocket(fd);
        try {
            socket.setInt(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
            // IP_MULTICAST_ALL (on by default) hands a socket datagrams of groups that only *other* sockets on the
            // host joined. Binding the group address already keeps other groups out; turning it off as well makes
            // what this socket receives depend on its own membership alone.
            socket.setInt(IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
            socket.setInt(IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
            socket.setInt(SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            socket.setInt(SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
            Memory sockaddr = new Memory(SOCKADDR_IN_SIZE);
            writeSockaddrIn(sockaddr, 0, address, port);
            call("bind " + address + ":" + port, () -> LibC.bind(fd, sockaddr, SOCKADDR_IN_SIZE));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Makes {@link #receive} return false after this long without a datagram. */
    void receiveTimeout(int millis) throws IOException {
        Memory timeval = new Memory(16); // struct timeval { long tv_sec; long tv_usec; }
        timeval.setLong(0, millis / 1000);
        timeval.setLong(8, (millis % 1000) * 1000L);
        call("setsockopt SO_RCVTIMEO", () -> LibC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16));
    }

    /**
     * Asks for a receive buffer of {@code bytes}: SO_RCVBUFFORCE first, which as root ignores net.core.rmem_max
     * (that limit cannot be raised inside a network namespace), else SO_RCVBUF, which the kernel caps.
     */
    void receiveBuffer(int bytes) throws IOException {
        try {
            setInt(SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
        } catch (IOException e) {
            setInt(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
        }
    }

    /** Any-source join (IGMPv3 EXCLUDE {} / v2 report); {@code ifindex} 0 lets the kernel pick by route. */
    void joinGroup(Ip4 group, int ifindex) throws IOException {
        // struct group_req { uint32_t interface; (pad) struct sockaddr_storage group; }
        Memory req = new Memory(8 + SOCKADDR_STORAGE_SIZE);
        req.clear();
        req.setInt(0, ifindex);
        writeSockaddrIn(req, 8, group, 0);
        call("join " + group, () -> LibC.setsockopt(fd, IPPROTO_IP, MCAST_JOIN_GROUP, req, (int) req.size()));
    }

    /** Source-specific join (IGMPv3 INCLUDE {source}); {@code ifindex} 0 lets the kernel pick by route. */
    void joinSourceGroup(Ip4 group, int ifindex, Ip4 source) throws IOException {
        // struct group_source_req { uint32_t interface; (pad) sockaddr_storage group; sockaddr_storage source; }
        Memory req = new Memory(8 + 2 * SOCKADDR_STORAGE_SIZE);
        req.clear();
        req.setInt(0, ifindex);
        writeSockaddrIn(req, 8, group, 0);
        writeSockaddrIn(req, 8 + SOCKADDR_STORAGE_SIZE, source, 0);
        call(
                "join " + group + " from " + source,
                () -> LibC.setsockopt(fd, IPPROTO_IP, MCAST_JOIN_SOURCE_GROUP, req, (int) req.size()));
    }

    /**
     * Waits for one datagram (up to the receive timeout) and fills {@code into}.
     *
     * @return false when the timeout passed (or a signal interrupted the wait) without a datagram
     */
    boolean receive(ReceivedDatagram into) throws IOException {
        msg.setInt(8, SOCKADDR_IN_SIZE); // the kernel overwrites both lengths on every call
        msg.setLong(40, control.size());
        long length;
        try {
            length = LibC.recvmsg(fd, msg, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                return false;
            }
            throw new IOException("recvmsg: " + LibC.strerror(e.getErrorCode()), e);
        }
        into.payload = dataView.clear().limit((int) Math.min(length, MAX_DATAGRAM));
        into.truncated = (msg.getInt(48) & MSG_TRUNC) != 0;
        into.source = new Ip4(readIp4(name, 4));
        into.ttl = -1;
        into.kernelMicros = -1;
        parseControl(msg.getLong(40), into);
        return true;
    }

    // Walks the cmsghdr list: CMSG_FIRSTHDR / CMSG_NXTHDR with 8-byte alignment.
    private void parseControl(long controlLength, ReceivedDatagram into) {
        long offset = 0;
        while (offset + CMSG_HEADER_SIZE <= controlLength) {
            long length = control.getLong(offset);
            if (length < CMSG_HEADER_SIZE || offset + length > controlLength) {
                return;
            }
            int level = control.getInt(offset + 8);
            int type = control.getInt(offset + 12);
            long at = offset + CMSG_HEADER_SIZE;
            if (level == IPPROTO_IP && type == IP_TTL) {
                into.ttl = control.getInt(at);
            } else if (level == SOL_SOCKET && type == SO_TIMESTAMPNS) {
                // struct timespec { long tv_sec; long tv_nsec; }, CLOCK_REALTIME
                into.kernelMicros = control.getLong(at) * 1_000_000L + control.getLong(at + 8) / 1_000L;
            } else if (level == SOL_SOCKET && type == SO_RXQ_OVFL) {
                into.socketDrops = control.getInt(at) & 0xffffffffL;
            }
            offset += (length + 7) & ~7L;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }

    private void setInt(int level, int option, int value, String what) throws IOException {
        Memory v = new Memory(4);
        v.setInt(0, value);
        call("setsockopt " + what, () -> LibC.setsockopt(fd, level, option, v, 4));
    }

    // struct sockaddr_in { sa_family_t family (host order); in_port_t port (network order); in_addr addr; zero[8] }
    private static void writeSockaddrIn(Pointer p, long offset, Ip4 address, int port) {
        p.setMemory(offset, SOCKADDR_IN_SIZE, (byte) 0);
        p.setShort(offset, (short) AF_INET);
        p.setByte(offset + 2, (byte) (port >>> 8));
        p.setByte(offset + 3, (byte) port);
        p.write(offset + 4, address.toBytes(), 0, 4);
    }

    private static int readIp4(Pointer p, long offset) {
        return ((p.getByte(offset) & 0xff) << 24)
                | ((p.getByte(offset + 1) & 0xff) << 16)
                | ((p.getByte(offset + 2) & 0xff) << 8)
                | (p.getByte(offset + 3) & 0xff);
    }

    private interface NativeCall {
        int invoke();
    }

    private static int call(String what, NativeCall call) throws IOException {
        try {
            return call.invoke();
        } catch (LastErrorException e) {
            String reason = LibC.strerror(e.getErrorCode());
            if (e.getErrorCode() == EPERM) {
                reason += " (needs root or CAP_NET_ADMIN)";
            }
            throw new IOException(what + ": " + reason, e);
        }
    }

    /** libc through JNA direct mapping: a fraction of the per-call cost of an interface mapping. */
    private static final class LibC {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int bind(int fd, Pointer address, int length) throws LastErrorException;

        static native int setsockopt(int fd, int level, int option, Pointer value, int length)
                throws LastErrorException;

        static native long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

        static native int close(int fd);

        static native String strerror(int errno);
    }
}
