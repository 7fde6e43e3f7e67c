package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An AF_XDP socket that receives: its UMEM (frames the kernel copies received packets into), the fill ring through
 * which mcgate lends the kernel free frames, and the RX ring on which the kernel hands filled ones back. Reading a
 * frame costs no system call; the socket's descriptor polls readable when the RX ring has entries.
 *
 * <p>Copy mode (XDP_COPY): works with every driver and with generic XDP; the frame is copied once, into the UMEM. A
 * completion ring is required by the kernel, though nothing is sent here.
 *
 * <p>Capture thread only, apart from {@link #statistics} and {@link #close} (after the thread has ended).
 */
final class XskSocket implements AutoCloseable {

    static final int AF_XDP = 44;
    static final int SOL_XDP = 283;
    static final int XDP_MMAP_OFFSETS = 1;
    static final int XDP_RX_RING = 2;
    static final int XDP_UMEM_REG = 4;
    static final int XDP_UMEM_FILL_RING = 5;
    static final int XDP_UMEM_COMPLETION_RING = 6;
    static final int XDP_STATISTICS = 7;
    static final int XDP_COPY = 2;
    static final long XDP_PGOFF_RX_RING = 0;
    static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;
    /** A UMEM chunk: the kernel's smallest, room for 2048 - 256 (XDP headroom) octets, above an Ethernet MTU's frame. */
    static final int CHUNK = 2048;
    /** The completion ring's size: the smallest, as nothing is sent. */
    private static final int COMPLETION_RING = 64;

    private final int fd;
    private final int frames;
    private final Pointer umem;
    private final Mapping rxMap;
    private final Mapping fillMap;
    private final Mapping completionMap;
    private final XskReceiver receiver;

    private record Mapping(Pointer address, long length) {}

    /**
     * Opens a socket with {@code frames} UMEM frames (a power of two; the RX ring holds half of them) bound to
     * receive queue {@code queue} of interface {@code ifindex}.
     */
    static XskSocket open(int ifindex, int queue, int frames) throws IOException {
        int fd;
        try {
            fd = PacketSocketCalls.socket(AF_XDP, AfPacketPacketIo.SOCK_RAW | AfPacketPacketIo.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open an AF_XDP socket (" + Errno.describe(e) + ")");
        }
        try {
            return new XskSocket(fd, ifindex, queue, frames);
        } catch (IOException | RuntimeException e) {
            try {
                PacketSocketCalls.close(fd);
            } catch (LastErrorException closeFailed) {
                e.addSuppressed(closeFailed);
            }
            throw e;
        }
    }

    private XskSocket(int fd, int ifindex, int queue, int frames) throws IOException {
        this.fd = fd;
        this.frames = frames;
        long umemLength = (long) frames * CHUNK;
        Pointer area;
        try {
            area = XdpCalls.mmap(
                    null,
                    umemLength,
                    XdpCalls.PROT_READ | XdpCalls.PROT_WRITE,
                    XdpCalls.MAP_PRIVATE | XdpCalls.MAP_ANONYMOUS,
                    -1,
                    0);
        } catch (LastErrorException e) {
            throw new IOException("cannot map " + umemLength + " bytes for the UMEM (" + Errno.describe(e) + ")");
        }
        this.umem = area;
        ByteBuffer umemBytes = area.getByteBuffer(0, umemLength).order(ByteOrder.nativeOrder());
        Mapping rxm = null;
        Mapping fm = null;
        Mapping cm = null;
        try {
            registerUmem(umemLength);
            int rxSize = frames / 2;
            setRingSize(XDP_UMEM_FILL_RING, frames, "fill");
            setRingSize(XDP_UMEM_COMPLETION_RING, COMPLETION_RING, "completion");
            setRingSize(XDP_RX_RING, rxSize, "RX");
            long[] offsets = mmapOffsets();
            // struct xdp_mmap_offsets: rx, tx, fr, cr; each { producer, consumer, desc, flags } as u64.
            rxm = map(offsets[2] + (long) rxSize * 16, XDP_PGOFF_RX_RING, "RX");
            fm = map(offsets[10] + (long) frames * 8, XDP_UMEM_PGOFF_FILL_RING, "fill");
            cm = map(offsets[14] + (long) COMPLETION_RING * 8, XDP_UMEM_PGOFF_COMPLETION_RING, "completion");
            XskRing rx = new XskRing(bytes(rxm), (int) offsets[0], (int) offsets[1], (int) offsets[2], rxSize, 16);
            XskRing fill = new XskRing(bytes(fm), (int) offsets[8], (int) offsets[9], (int) offsets[10], frames, 8);
            // Every frame is lent to the kernel at once; each comes back through the RX ring and is lent again.
            this.receiver = new XskReceiver(rx, fill, umemBytes, CHUNK, frames);
            bind(ifindex, queue);
        } catch (IOException | RuntimeException e) {
            for (Mapping m : new Mapping[] {rxm, fm, cm}) {
                unmap(m);
            }
            unmap(new Mapping(area, umemLength));
            throw e;
        }
        this.rxMap = rxm;
        this.fillMap = fm;
        this.completionMap = cm;
    }

    int fd() {
        return fd;
    }

    /** Hands up to {@code max} received frames to {@code sink}; how many ({@link XskReceiver#receive}). */
    int receive(XskReceiver.FrameSink sink, int max) {
        return receiver.receive(sink, max);
    }

    /** Frames the kernel could not hand over: no free frame lent (rx_dropped) or the RX ring full. */
    long drops() {
        try (Memory stats = new Memory(48)) {
            stats.clear();
            // struct xdp_statistics { rx_dropped; rx_invalid_descs; tx_invalid_descs; rx_ring_full; ... } (u64)
            PacketSocketCalls.getsockopt(fd, SOL_XDP, XDP_STATISTICS, stats, new int[] {48});
            return stats.getLong(0) + stats.getLong(24);
        } catch (LastErrorException e) {
            return 0;
        }
    }

    private void registerUmem(long length) throws IOException {
        try (Memory reg = new Memory(32)) {
            // struct xdp_umem_reg { u64 addr; u64 len; u32 chunk_size; u32 headroom; u32 flags; u32 tx_metadata_len; }
            reg.clear();
            reg.setLong(0, Pointer.nativeValue(umem));
            reg.setLong(8, length);
            reg.setInt(16, CHUNK);
            PacketSocketCalls.setsockopt(fd, SOL_XDP, XDP_UMEM_REG, reg, 32);
        } catch (LastErrorException e) {
            throw new IOException("cannot register the UMEM (" + Errno.describe(e) + ")");
        }
    }

    private void setRingSize(int option, int size, String ring) throws IOException {
        try (Memory value = new Memory(4)) {
            value.setInt(0, size);
            PacketSocketCalls.setsockopt(fd, SOL_XDP, option, value, 4);
        } catch (LastErrorException e) {
            throw new IOException("cannot size the " + ring + " ring (" + Errno.describe(e) + ")");
        }
    }

    private long[] mmapOffsets() throws IOException {
        try (Memory offsets = new Memory(128)) {
            offsets.clear();
            PacketSocketCalls.getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, offsets, new int[] {128});
            return offsets.getLongArray(0, 16);
        } catch (LastErrorException e) {
            throw new IOException("cannot read the rings' offsets (" + Errno.describe(e) + ")");
        }
    }

    private Mapping map(long length, long pageOffset, String ring) throws IOException {
        try {
            Pointer p = XdpCalls.mmap(
                    null,
                    length,
                    XdpCalls.PROT_READ | XdpCalls.PROT_WRITE,
                    XdpCalls.MAP_SHARED | XdpCalls.MAP_POPULATE,
                    fd,
                    pageOffset);
            return new Mapping(p, length);
        } catch (LastErrorException e) {
            throw new IOException("cannot map the " + ring + " ring (" + Errno.describe(e) + ")");
        }
    }

    private static ByteBuffer bytes(Mapping m) {
        return m.address().getByteBuffer(0, m.length());
    }

    private void bind(int ifindex, int queue) throws IOException {
        try (Memory address = new Memory(16)) {
            // struct sockaddr_xdp { u16 family; u16 flags; u32 ifindex; u32 queue_id; u32 shared_umem_fd; }
            address.clear();
            address.setShort(0, (short) AF_XDP);
            address.setShort(2, (short) XDP_COPY);
            address.setInt(4, ifindex);
            address.setInt(8, queue);
            PacketSocketCalls.bind(fd, address, 16);
        } catch (LastErrorException e) {
            throw new IOException("cannot bind the AF_XDP socket to queue " + queue + " (" + Errno.describe(e) + ")");
        }
    }

    private static void unmap(Mapping m) {
        if (m == null) {
            return;
        }
        try {
            XdpCalls.munmap(m.address(), m.length());
        } catch (LastErrorException e) {
            // Nothing to do: the address range stays reserved until the process ends.
        }
    }

    /** Closes the socket, then unmaps its rings and UMEM; only after the capture thread has ended. */
    @Override
    public void close() {
        try {
            PacketSocketCalls.close(fd);
        } catch (LastErrorException e) {
            // The descriptor is gone either way.
        }
        unmap(rxMap);
        unmap(fillMap);
        unmap(completionMap);
        unmap(new Mapping(umem, (long) frames * CHUNK));
    }
}
