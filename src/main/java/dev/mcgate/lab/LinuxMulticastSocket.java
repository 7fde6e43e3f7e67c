package dev.mcgate.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket of either family opened through libc (JNA) so that we can ask for what Java's DatagramChannel hides:
 * the TTL or hop limit each datagram arrived with (IP_RECVTTL, IPV6_RECVHOPLIMIT), the kernel's arrival timestamp
 * (SO_TIMESTAMPNS) and the socket's drop counter (SO_RXQ_OVFL), all read from the control messages of recvmsg(2).
 * Joins go through MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP (RFC 3678 §5.1, both families), which name the
 * interface by index, so an interface without an address of the family can still be joined on; the kernel's IGMP or
 * MLD host stack then sends the reports. 64-bit Linux only (the struct layouts below assume LP64).
 */
final class LinuxMulticastSocket implements AutoCloseable {

    // Values from <asm-generic/socket.h> and <linux/in.h>, the same on x86_64 and aarch64.
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_IPV6 = 41;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_TIMESTAMPNS = 35;
    private static final int SO_RXQ_OVFL = 40;
    private static final int IP_TTL = 2;
    private static final int IP_RECVTTL = 12;
    private static final int MCAST_JOIN_GROUP = 42;
    private static final int MCAST_LEAVE_GROUP = 45;
    private static final int MCAST_JOIN_SOURCE_GROUP = 46;
    private static final int MCAST_LEAVE_SOURCE_GROUP = 47;
    private static final int IP_MULTICAST_ALL = 49;
    // <linux/in6.h>
    private static final int IPV6_MULTICAST_ALL = 29;
    private static final int IPV6_RECVHOPLIMIT = 51;
    private static final int IPV6_HOPLIMIT = 52;
    private static final int MSG_TRUNC = 0x20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EPERM = 1;

    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;
    private static final int SOCKADDR_STORAGE_SIZE = 128;
    private static final int CMSG_HEADER_SIZE = 16; // size_t len, int level, int type
    private static final int MAX_DATAGRAM = 65536;

    private final int fd;
    private final IpFamily family;
    /** IPPROTO_IP or IPPROTO_IPV6: the level of the family's socket options. */
    private final int level;

    private final int sockaddrSize;
    private final Memory data = new Memory(MAX_DATAGRAM);
    private final ByteBuffer dataView = data.getByteBuffer(0, MAX_DATAGRAM).order(ByteOrder.BIG_ENDIAN);
    private final Memory name = new Memory(SOCKADDR_IN6_SIZE);
    private final ByteBuffer nameView = name.getByteBuffer(0, SOCKADDR_IN6_SIZE).order(ByteOrder.BIG_ENDIAN);
    private final Memory control = new Memory(256);
    private final Memory iov = new Memory(16);
    private final Memory msg = new Memory(56);
    private boolean closed;

    private LinuxMulticastSocket(int fd, IpFamily family) {
        this.fd = fd;
        this.family = family;
        this.level = family == IpFamily.IPV4 ? IPPROTO_IP : IPPROTO_IPV6;
        this.sockaddrSize = family == IpFamily.IPV4 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE;
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
     * Opens a UDP socket of the address's family bound to {@code address:port} (bind the group address, so that only
     * datagrams to this group arrive) with SO_REUSEADDR, so several receivers can share the port.
     *
     * @param ifindex the interface a link-scoped IPv6 group (ff02::/16) is bound on, which the kernel requires; 0
     *     otherwise
     */
    static LinuxMulticastSocket bind(IpAddress address, int port, int ifindex) throws IOException {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            throw new IOException("the lab receiver needs 64-bit Linux (it reads TTLs through recvmsg)");
        }
        IpFamily family = address.family();
        int domain = family == IpFamily.IPV4 ? AF_INET : AF_INET6;
        int fd = call("socket", () -> LibC.socket(domain, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        LinuxMulticastSocket socket = new LinuxMulticastSocket(fd, family);
        try {
            socket.setInt(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
            // IP_MULTICAST_ALL (on by default) hands a socket datagrams of groups that only *other* sockets on the
            // host joined. Binding the group address already keeps other groups out; turning it off as well makes
            // what this socket receives depend on its own membership alone. IPV6_MULTICAST_ALL is its IPv6 twin.
            if (family == IpFamily.IPV4) {
                socket.setInt(IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
                socket.setInt(IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
            } else {
                socket.setInt(IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL");
                socket.setInt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
            }
            socket.setInt(SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            socket.setInt(SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
            int size = socket.sockaddrSize;
            Memory sockaddr = new Memory(size);
            writeSockaddr(sockaddr, 0, address, port, linkScoped(address) ? ifindex : 0);
            call("bind " + socketText(address, port), () -> LibC.bind(fd, sockaddr, size));
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

    /**
     * Any-source join (IGMPv3 / MLDv2 EXCLUDE {}, an IGMPv2 or MLDv1 report); {@code ifindex} 0 lets the kernel pick
     * by route.
     */
    void joinGroup(IpAddress group, int ifindex) throws IOException {
        groupRequest(MCAST_JOIN_GROUP, "join " + group, group, ifindex, null);
    }

    /** Source-specific join (IGMPv3 / MLDv2 INCLUDE {source}); {@code ifindex} 0 lets the kernel pick by route. */
    void joinSourceGroup(IpAddress group, int ifindex, IpAddress source) throws IOException {
        groupRequest(MCAST_JOIN_SOURCE_GROUP, "join " + group + " from " + source, group, ifindex, source);
    }

    /** Undoes {@link #joinGroup}: the kernel's host stack reports the leave (IGMP leave, MLD Done, TO_IN {}). */
    void leaveGroup(IpAddress group, int ifindex) throws IOException {
        groupRequest(MCAST_LEAVE_GROUP, "leave " + group, group, ifindex, null);
    }

    /** Undoes {@link #joinSourceGroup}: the kernel's host stack reports BLOCK {source}. */
    void leaveSourceGroup(IpAddress group, int ifindex, IpAddress source) throws IOException {
        groupRequest(MCAST_LEAVE_SOURCE_GROUP, "leave " + group + " from " + source, group, ifindex, source);
    }

    /**
     * One RFC 3678 §5.1 request: struct group_req { uint32_t interface; (pad) sockaddr_storage group; } or, with a
     * source, struct group_source_req { ...; sockaddr_storage source; }.
     */
    private void groupRequest(int option, String what, IpAddress group, int ifindex, IpAddress source)
            throws IOException {
        requireFamily(group);
        Memory req = new Memory(8 + (source == null ? 1 : 2) * SOCKADDR_STORAGE_SIZE);
        req.clear();
        req.setInt(0, ifindex);
        writeSockaddr(req, 8, group, 0, 0);
        if (source != null) {
            requireFamily(source);
            writeSockaddr(req, 8 + SOCKADDR_STORAGE_SIZE, source, 0, 0);
        }
        call(what, () -> LibC.setsockopt(fd, level, option, req, (int) req.size()));
    }

    private void requireFamily(IpAddress address) {
        if (address.family() != family) {
            throw new IllegalArgumentException(address + " is not an " + family + " address");
        }
    }

    /**
     * Waits for one datagram (up to the receive timeout) and fills {@code into}.
     *
     * @return false when the timeout passed (or a signal interrupted the wait) without a datagram
     */
    boolean receive(ReceivedDatagram into) throws IOException {
        msg.setInt(8, sockaddrSize); // the kernel overwrites both lengths on every call
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
        // sockaddr_in: the address at 4; sockaddr_in6: flowinfo at 4, the address at 8.
        into.source = family == IpFamily.IPV4
                ? new Ip4(nameView.getInt(4))
                : new Ip6(nameView.getLong(8), nameView.getLong(16));
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
            if ((level == IPPROTO_IP && type == IP_TTL) || (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT)) {
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
    // struct sockaddr_in6 { sa_family_t family; in_port_t port; uint32_t flowinfo; in6_addr addr; uint32_t scope_id }
    private static void writeSockaddr(Pointer p, long offset, IpAddress address, int port, int scopeId) {
        boolean ipv4 = address.family() == IpFamily.IPV4;
        p.setMemory(offset, ipv4 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE, (byte) 0);
        p.setShort(offset, (short) (ipv4 ? AF_INET : AF_INET6));
        p.setByte(offset + 2, (byte) (port >>> 8));
        p.setByte(offset + 3, (byte) port);
        if (ipv4) {
            p.write(offset + 4, address.toBytes(), 0, 4);
        } else {
            p.write(offset + 8, address.toBytes(), 0, 16);
            p.setInt(offset + 24, scopeId);
        }
    }

    /** An IPv6 group of interface- or link-local scope: the kernel binds it only with the interface as scope id. */
    private static boolean linkScoped(IpAddress address) {
        return address instanceof Ip6 a && a.isLinkLocalMulticast();
    }

    private static String socketText(IpAddress address, int port) {
        return address.family() == IpFamily.IPV4 ? address + ":" + port : "[" + address + "]:" + port;
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
