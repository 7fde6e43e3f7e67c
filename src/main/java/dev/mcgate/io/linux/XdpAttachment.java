package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the AF_XDP engine puts on one interface: an AF_XDP socket on each receive queue (up to {@link #MAX_QUEUES}),
 * the XSKMAP that names them, and the {@link XdpProgram} attached through a BPF link, in the driver's own XDP mode
 * where the driver has one and in the kernel's generic mode otherwise. Frames arriving on a queue past the limit find
 * no socket in the map and go on to the kernel, where the port's packet socket captures them: nothing is lost, they
 * only take the slower path.
 *
 * <p>Closing detaches the program first (the link), so no frame is redirected to a socket that is going away.
 */
final class XdpAttachment implements AutoCloseable {

    /**
     * UMEM frames of all the interface's sockets: 4096 of 2 KiB, 8 MiB pinned (up to 16 MiB with more than 8 queues:
     * each socket has at least {@link #MIN_FRAMES}). A socket's RX ring holds half of its frames: with one queue,
     * 2048 frames, about 8 ms of 64-byte frames at 250 000 a second.
     */
    static final int FRAMES = 4096;

    static final int MIN_FRAMES = 512;
    static final int MAX_QUEUES = 16;

    private final List<XskSocket> sockets;
    private final int mapFd;
    private final int programFd;
    private final int linkFd;
    private final String mode;

    private XdpAttachment(List<XskSocket> sockets, int mapFd, int programFd, int linkFd, String mode) {
        this.sockets = sockets;
        this.mapFd = mapFd;
        this.programFd = programFd;
        this.linkFd = linkFd;
        this.mode = mode;
    }

    /** Attaches to interface {@code ifindex} ({@code name} for messages and kernel object names). */
    static XdpAttachment attach(int ifindex, String name, AfPacketPacketIo.Xdp where) throws IOException {
        int queues = Math.min(ReceiveQueues.of(name), MAX_QUEUES);
        int frames = Math.max(MIN_FRAMES, Integer.highestOneBit(FRAMES / queues));
        int mapFd = Bpf.createXskMap(queues, "mcgate_" + name);
        int programFd = -1;
        List<XskSocket> sockets = new ArrayList<>();
        try {
            programFd = Bpf.loadXdp(XdpProgram.redirectMulticast(mapFd), "mcgate_" + name);
            for (int queue = 0; queue < queues; queue++) {
                XskSocket socket = XskSocket.open(ifindex, queue, frames);
                sockets.add(socket);
                Bpf.setXskMapEntry(mapFd, queue, socket.fd());
            }
            int linkFd;
            String mode;
            if (where == AfPacketPacketIo.Xdp.GENERIC) {
                linkFd = attachLink(programFd, ifindex, Bpf.XDP_FLAGS_SKB_MODE, "generic");
                mode = "generic";
            } else {
                try {
                    linkFd = Bpf.attachXdp(programFd, ifindex, Bpf.XDP_FLAGS_DRV_MODE);
                    mode = "native";
                } catch (LastErrorException nativeRefused) {
                    if (where == AfPacketPacketIo.Xdp.NATIVE) {
                        throw new IOException("the driver refused native XDP (" + Errno.describe(nativeRefused) + ")");
                    }
                    linkFd = attachLink(programFd, ifindex, Bpf.XDP_FLAGS_SKB_MODE, "generic");
                    mode = "generic";
                }
            }
            return new XdpAttachment(List.copyOf(sockets), mapFd, programFd, linkFd, mode);
        } catch (IOException | RuntimeException e) {
            sockets.forEach(XskSocket::close);
            closeQuietly(programFd);
            closeQuietly(mapFd);
            throw e;
        }
    }

    private static int attachLink(int programFd, int ifindex, int flags, String mode) throws IOException {
        try {
            return Bpf.attachXdp(programFd, ifindex, flags);
        } catch (LastErrorException e) {
            throw new IOException("cannot attach the XDP program in " + mode + " mode (" + Errno.describe(e) + ")");
        }
    }

    /** One socket per receive queue, queue 0 first. */
    List<XskSocket> sockets() {
        return sockets;
    }

    /** Frames the kernel could not hand to any of the sockets. */
    long drops() {
        long drops = 0;
        for (XskSocket s : sockets) {
            drops += s.drops();
        }
        return drops;
    }

    /** "native" or "generic": the XDP hook the program runs at. */
    String mode() {
        return mode;
    }

    @Override
    public void close() {
        closeQuietly(linkFd);
        sockets.forEach(XskSocket::close);
        closeQuietly(programFd);
        closeQuietly(mapFd);
    }

    private static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            PacketSocketCalls.close(fd);
        } catch (LastErrorException e) {
            // The descriptor is gone either way.
        }
    }
}
