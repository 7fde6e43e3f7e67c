package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls of the AF_XDP engine that {@link PacketSocketCalls} does not have (bpf(2) through syscall(2),
 * mmap, poll), bound by JNA direct mapping so the data path's {@code poll} costs a plain JNI transition; the socket
 * calls themselves go through {@link PacketSocketCalls}.
 */
final class XdpCalls {

    static {
        Native.register(XdpCalls.class, NativeLibrary.getInstance("c"));
    }

    /** bpf(2)'s system call number: glibc has no wrapper. */
    static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "aarch64" -> 280;
        case "amd64", "x86_64" -> 321;
        default -> -1;
    };

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_POPULATE = 0x8000;
    static final short POLLIN = 1;

    private XdpCalls() {}

    /** syscall(SYS_bpf, cmd, attr, size). */
    static native long syscall(long number, long command, Pointer attr, long size) throws LastErrorException;

    /** mmap(2); MAP_FAILED comes back as a LastErrorException. */
    static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(Pointer address, long length) throws LastErrorException;

    /** poll(2) on an array of struct pollfd { int fd; short events; short revents; }. */
    static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;
}
