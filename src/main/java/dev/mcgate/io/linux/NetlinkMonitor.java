package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the kernel announce link and address changes (rtnetlink, RTMGRP_LINK, RTMGRP_IPV4_IFADDR and RTMGRP_IPV6_IFADDR:
 * MLD needs the link-local address, which appears after the link comes up) and says
 * so at once; it does not decode the messages: the interface list is read again, which catches everything.
 *
 * <p>A NETLINK_ROUTE socket of the network namespace of the thread that opens it, read by its own thread with a
 * receive timeout so that {@link #close()} needs no signal to wake it. ENOBUFS (the kernel dropped messages for a full
 * socket buffer) is itself a change to look at. Any other error ends the monitor and is reported once.
 */
public final class NetlinkMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetlinkMonitor.class);
    private static final int NETLINK_ROUTE = 0;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** rtnetlink multicast groups (linux/rtnetlink.h): link up/down/new/del, IPv4 address add/del. */
    private static final int RTMGRP_LINK = 0x1;

    private static final int RTMGRP_IPV4_IFADDR = 0x10;

    private static final int RTMGRP_IPV6_IFADDR = 0x100;
    /** struct sockaddr_nl: family (u16), pad (u16), pid (u32), groups (u32). */
    private static final int SOCKADDR_NL_SIZE = 12;

    private static final int BUFFER = 64 * 1024;
    private static final int RECEIVE_TIMEOUT_MS = 250;

    private final int fd;
    private final Runnable onChange;
    private final Runnable onFailure;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();

    private NetlinkMonitor(int fd, Runnable onChange, Runnable onFailure) {
        this.fd = fd;
        this.onChange = onChange;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "mcgate-netlink");
        this.thread.setDaemon(true);
    }

    /**
     * Opens the socket and starts listening.
     *
     * @param onChange  called on the monitor's thread after each batch of messages
     * @param onFailure called once, on the monitor's thread, if reading fails later (the monitor has then stopped)
     * @throws IOException if the socket cannot be opened or bound (the message says why)
     */
    public static NetlinkMonitor open(Runnable onChange, Runnable onFailure) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new IOException("netlink socket: errno " + e.getErrorCode());
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("netlink socket: " + e.getMessage());
        }
        try (Memory address = new Memory(SOCKADDR_NL_SIZE)) {
            address.clear();
            address.setShort(0, (short) LibC.AF_NETLINK);
            address.setInt(8, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);
            LibC.INSTANCE.bind(fd, address, SOCKADDR_NL_SIZE);
            // struct timeval {long tv_sec; long tv_usec;} on LP64.
            try (Memory timeout = new Memory(16)) {
                timeout.setLong(0, 0);
                timeout.setLong(8, RECEIVE_TIMEOUT_MS * 1000L);
                LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, 16);
            }
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IOException("netlink bind: errno " + e.getErrorCode());
        }
        NetlinkMonitor monitor = new NetlinkMonitor(fd, onChange, onFailure);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        try (Memory buffer = new Memory(BUFFER)) {
            NativeLong length = new NativeLong(BUFFER);
            while (!stop.get()) {
                try {
                    LibC.INSTANCE.recv(fd, buffer, length, 0);
                    onChange.run();
                } catch (LastErrorException e) {
                    int errno = e.getErrorCode();
                    if (errno == LibC.ENOBUFS) {
                        onChange.run(); // messages were lost: read the list again all the same
                    } else if (errno != LibC.EAGAIN && errno != LibC.EINTR && !stop.get()) {
                        LOG.warn(
                                "netlink: receive failed (errno {}); interface changes are seen by polling only",
                                errno);
                        onFailure.run();
                        return;
                    }
                } catch (RuntimeException e) {
                    // The listener failed: the next message tries again; the monitor must not die of it.
                    LOG.error("netlink: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        if (stop.getAndSet(true)) {
            return;
        }
        try {
            thread.join(RECEIVE_TIMEOUT_MS * 8L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Closed after the thread has left recv(), so the descriptor cannot be reused under it.
        if (!thread.isAlive()) {
            LibC.INSTANCE.close(fd);
        }
    }
}
