package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls of a packet socket, bound by JNA direct mapping ({@code Native.register}): a direct call costs a
 * plain JNI transition and allocates nothing, where an interface-mapped call boxes its arguments into an Object[]
 * on every call. Only the data path's calls live here; setup calls that run once go through {@link LibC} as well.
 */
final class PacketSocketCalls {

    static {
        Native.register(PacketSocketCalls.class, NativeLibrary.getInstance("c"));
    }

    private PacketSocketCalls() {}

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    static native int getsockname(int fd, Pointer address, int[] length) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, int[] length) throws LastErrorException;

    /** recvmmsg(2); {@code timeout} is always null: the socket's SO_RCVTIMEO bounds the wait instead. */
    static native int recvmmsg(int fd, Pointer vector, int count, int flags, Pointer timeout) throws LastErrorException;

    /** sendmmsg(2); {@code vector} is the native address of the first struct mmsghdr (no Pointer per call). */
    static native int sendmmsg(int fd, long vector, int count, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
