package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few C library calls the JDK does not offer: setns, getuid, getifaddrs, interface ioctls, socket options, the
 * netlink socket calls (bind, recv), AF_UNIX datagrams (sd_notify), and the calls that drop privileges (prctl,
 * setgroups, setresgid, setresuid, capset).
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    /** signal(2); {@code handler} null is SIG_DFL. Returns the previous handler. */
    Pointer signal(int signum, Pointer handler);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;
    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_DGRAM = 2;
    int AF_PACKET = 17;
    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    int EINTR = 4;
    int EAGAIN = 11;
    int ENOBUFS = 105;
    long SIOCGIFFLAGS = 0x8913;
    long SIOCGIFMTU = 0x8921;
    /** struct ifreq: 16 bytes of name, then a union of at most 24 bytes. */
    int IFREQ_SIZE = 40;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int getuid();

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    int bind(int fd, Pointer address, int length) throws LastErrorException;

    NativeLong recv(int fd, Pointer buffer, NativeLong length, int flags) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, Pointer address, int addressLength)
            throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5) throws LastErrorException;

    int setgroups(NativeLong size, int[] list) throws LastErrorException;

    int setresgid(int rgid, int egid, int sgid) throws LastErrorException;

    int setresuid(int ruid, int euid, int suid) throws LastErrorException;

    /** capset(2) with version 3 (two 32-bit data words); glibc exports it, and it acts on the calling thread. */
    int capset(int[] header, int[] data) throws LastErrorException;

    int getifaddrs(PointerByReference ifap) throws LastErrorException;

    void freeifaddrs(Pointer ifa);

    int if_nametoindex(String name);

    String strerror(int errno);
}
