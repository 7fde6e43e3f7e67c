package dev.mcgate.io.pcap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Waits for one descriptor to become readable with poll(2), bound by JNA direct mapping: the wait of a capture thread
 * whose libpcap handle is non-blocking. One struct pollfd, allocated once.
 *
 * <p>Not thread-safe: one capture thread per instance.
 */
final class ReadablePoll {

    private static final short POLLIN = 1;

    static {
        Native.register(ReadablePoll.class, NativeLibrary.getInstance("c"));
    }

    private static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    /** struct pollfd { int fd; short events; short revents; } */
    private final Memory pollfd = new Memory(8);

    ReadablePoll(int fd) {
        pollfd.setInt(0, fd);
        pollfd.setShort(4, POLLIN);
    }

    /** Returns when the descriptor is readable, after {@code millis}, or on a signal or error (the caller reads again). */
    void await(int millis) {
        pollfd.setShort(6, (short) 0);
        try {
            poll(pollfd, 1, millis);
        } catch (LastErrorException e) {
            // EINTR and the like: the caller reads, finds nothing and waits again.
        }
    }
}
